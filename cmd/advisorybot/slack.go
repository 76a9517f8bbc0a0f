package main

// wireSlack adds the Slack adapter when Slack tokens are set.
// The Slack adapter is not built yet (issue: Slack adapter).
func (e *environment) wireSlack(*wiring) error { return nil }
