package main

// wireDiscord adds the Discord adapter when DISCORD_TOKEN or DISCORD_PUBLIC_KEY is set.
// The Discord adapter is not built yet (issue: Discord adapter).
func (e *environment) wireDiscord(*wiring) error { return nil }
