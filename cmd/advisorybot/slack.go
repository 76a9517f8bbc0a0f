package main

import (
	"errors"
	"fmt"
	"strings"

	slackadapter "advisorybot/adapters/slack"
)

// wireSlack adds the Slack adapter when Slack tokens are set:
//   - Socket Mode when SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…)
//     are set: no public URL needed;
//   - HTTP mode when SLACK_SIGNING_SECRET is set: /slack/commands,
//     /slack/events and /slack/interactions on the shared listener, so
//     replicas can run behind a load balancer. Mentions, DMs and chat.update
//     also need SLACK_BOT_TOKEN.
//
// SLACK_API_URL points the Web API client (and Socket Mode's
// apps.connections.open) at another base URL; it exists for tests against
// local fakes.
func (e *environment) wireSlack(w *wiring) error {
	appToken := e.getenv("SLACK_APP_TOKEN")
	botToken := e.getenv("SLACK_BOT_TOKEN")
	secret := e.getenv("SLACK_SIGNING_SECRET")
	socket := appToken != "" && botToken != ""
	switch {
	case !socket && secret == "" && appToken == "" && botToken == "":
		return nil
	case !socket && secret == "":
		return errors.New("slack: Socket Mode needs both SLACK_APP_TOKEN and SLACK_BOT_TOKEN; HTTP mode needs SLACK_SIGNING_SECRET (see docs/slack.md)")
	case appToken != "" && !strings.HasPrefix(appToken, "xapp-"):
		return errors.New("slack: SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope")
	}
	log := e.log.With("adapter", "slack")
	if botToken == "" {
		log.Warn("SLACK_BOT_TOKEN is not set: slash commands and buttons work, mentions and direct messages cannot be answered")
	}
	cfg := slackadapter.Config{Bot: w.bot, BotToken: botToken, AppToken: appToken, APIURL: e.getenv("SLACK_API_URL"),
		SigningSecret: secret, Logger: log, CountRejected: w.metrics.Rejected(slackadapter.Platform)}
	a, err := slackadapter.New(cfg)
	if err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	w.runners = append(w.runners, a.Run)
	if secret != "" {
		w.handle("/slack/commands", a.Commands())
		w.handle("/slack/events", a.Events())
		w.handle("/slack/interactions", a.Interactions())
		log.Info("slack HTTP mode", "paths", "/slack/commands /slack/events /slack/interactions")
	}
	if socket {
		w.connection(slackadapter.Platform, "socket_mode", a.SocketModeConnected)
		w.runners = append(w.runners, a.RunSocketMode)
		log.Info("slack Socket Mode")
	}
	return nil
}
