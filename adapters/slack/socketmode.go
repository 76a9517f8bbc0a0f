package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"golang.org/x/sync/errgroup"
)

// RunSocketMode connects to Slack over Socket Mode with the app token and
// answers until ctx ends. Each envelope is acked as soon as its work is
// queued; the answer follows through response_url (slash commands),
// chat.postMessage (mentions, DMs) or chat.update / response_url (buttons).
// Run must be running too: it drives the worker pool.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.client == nil || a.cfg.AppToken == "" {
		return errors.New("slack socket mode needs a bot token and an app-level token")
	}
	client := socketmode.New(a.client, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	defer a.socketUp.Store(false)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// RunContext reconnects by itself and only returns on a fatal error
		// (a rejected token) or when ctx ends.
		return fmt.Errorf("slack socket mode: %w", client.RunContext(ctx))
	})
	g.Go(func() error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case evt, ok := <-client.Events:
				if !ok {
					return nil
				}
				a.socketEvent(ctx, client, evt)
			}
		}
	})
	return g.Wait()
}

// SocketModeConnected reports whether the Socket Mode connection is open,
// for readiness probes and metrics: false before RunSocketMode connects,
// while it reconnects and after it returns.
func (a *Adapter) SocketModeConnected() bool { return a.socketUp.Load() }

func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.socketUp.Store(false)
		a.log.DebugContext(ctx, "socket mode connecting")
	case socketmode.EventTypeConnected:
		a.socketUp.Store(true)
		a.log.InfoContext(ctx, "socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		// Each means the connection is lost; slack-go reconnects (Connecting,
		// then Connected).
		a.socketUp.Store(false)
		a.log.WarnContext(ctx, "socket mode connection problem", "event", evt.Type, "data", fmt.Sprint(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		a.socketUp.Store(false)
		a.log.ErrorContext(ctx, "socket mode: Slack rejected SLACK_APP_TOKEN")
	case socketmode.EventTypeErrorBadMessage:
		a.log.WarnContext(ctx, "socket mode: undecodable envelope", "data", fmt.Sprint(evt.Data))
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		if a.submit(ctx, "slash command", a.commandLater(cmd)) {
			a.ack(ctx, client, evt.Request)
		}
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil {
			return
		}
		e, answer := eventOf(ev)
		if !answer {
			a.ack(ctx, client, evt.Request)
			return
		}
		if evt.Request.RetryAttempt > 0 {
			a.log.InfoContext(ctx, "slack event retry", "event", e.eventID, "retry", evt.Request.RetryAttempt, "reason", evt.Request.RetryReason)
		}
		if a.submit(ctx, "event "+e.eventID, a.answerEvent(e)) {
			a.ack(ctx, client, evt.Request)
		}
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		acts, err := actionsOf(cb)
		if err != nil {
			a.log.WarnContext(ctx, "socket mode: bad button value", "err", err)
			a.ack(ctx, client, evt.Request)
			return
		}
		for _, act := range acts {
			if !a.submit(ctx, "button "+act.kind, a.answerAction(act)) {
				return
			}
		}
		a.ack(ctx, client, evt.Request)
	}
}

func (a *Adapter) ack(ctx context.Context, client *socketmode.Client, req *socketmode.Request) {
	if err := client.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.WarnContext(ctx, "socket mode ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}
