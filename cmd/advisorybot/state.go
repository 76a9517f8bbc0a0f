package main

import (
	"advisorybot/adapters/memory"
	"advisorybot/bot"
)

// store is every shared-state interface the bot uses.
type store interface {
	bot.Conversations
	bot.Deduper
	bot.RateLimiter
	bot.Settings
}

// state returns the shared-state store: in memory for a single process.
func (e *environment) state() (store, func(), error) {
	return memory.New(), func() {}, nil
}
