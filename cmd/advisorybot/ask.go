package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"advisorybot/adapters/console"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
)

func (e *environment) ask(args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print the reply as JSON")
	dir := fs.String("data", "", "review directory (default: embedded catalog)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, closeState, err := e.oneShotConfig(*dir)
	if err != nil {
		return err
	}
	defer closeState()
	b := bot.New(cfg)
	reply := b.Handle(e.ctx, bot.Request{Platform: "cli", Kind: bot.KindText, Text: strings.Join(fs.Args(), " ")})
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reply); err != nil {
			return fmt.Errorf("writing JSON reply: %w", err)
		}
		return nil
	}
	return console.Render(e.stdout, reply)
}

func (e *environment) chat(args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("data", "", "review directory (default: embedded catalog)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, closeState, err := e.oneShotConfig(*dir)
	if err != nil {
		return err
	}
	defer closeState()
	// The session's conversation is its own, never shared with another
	// terminal through Redis; the cache and TMDB's rate are shared.
	session := memory.New()
	cfg.Gate, cfg.Settings = session, session
	b := bot.New(cfg)
	return console.Chat(e.ctx, b, e.stdin, e.stdout)
}

// oneShotConfig is the bot's configuration for ask and chat: the catalog,
// and the same store, cache and TMDB wiring as serve (so REDIS_URL and
// TMDB_TOKEN work alike), with their set-up logged at debug level only.
func (e *environment) oneShotConfig(dir string) (bot.Config, func(), error) {
	live, err := e.loadCatalog(dir)
	if err != nil {
		return bot.Config{}, nil, err
	}
	st, closeState, err := e.openState(true, nil)
	if err != nil {
		return bot.Config{}, nil, err
	}
	cfg, err := e.botConfig(live, st, nil)
	if err != nil {
		closeState()
		return bot.Config{}, nil, err
	}
	return cfg, closeState, nil
}
