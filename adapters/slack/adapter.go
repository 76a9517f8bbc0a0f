// Package slack connects the bot to Slack: slash commands, app mentions,
// direct messages and buttons, over HTTP (signed requests, behind a load
// balancer) or Socket Mode (no public URL). It translates Slack payloads to
// bot.Request and bot.Reply to Block Kit; every rule lives in the bot.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"advisorybot/bot"
)

// Platform is the bot.Request platform name; it prefixes shared-state keys.
const Platform = "slack"

// Answerer is the bot as the adapter sees it.
type Answerer interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// WebAPI is the part of Slack's Web API the adapter calls; *slack.Client
// implements it.
type WebAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
}

// Config wires an Adapter. Bot is required; API is needed for mentions,
// direct messages and chat.update; SigningSecret for the HTTP endpoints.
type Config struct {
	Bot Answerer
	API WebAPI
	// HTTPClient posts to response_url; http.DefaultClient when nil.
	HTTPClient    *http.Client
	SigningSecret string
	Logger        *slog.Logger
	// Workers process events and button clicks after the ack (default 8);
	// Queue bounds the work waiting for them (default 256).
	Workers int
	Queue   int
	// AckBudget is how long a slash command may take to be answered in the
	// HTTP response body before the adapter acks and answers through
	// response_url instead (default 2.5 s; Slack allows 3 s).
	AckBudget time.Duration
	// Slash commands are answered inline while the bot is fast. An answer
	// slower than SlowAnswer (default 500 ms) makes the adapter enforce
	// AckBudget with a timer, for as long as answers stay slow and GuardFor
	// (default 10 s) after the last slow one.
	SlowAnswer time.Duration
	GuardFor   time.Duration
	// WorkTimeout bounds one piece of work after the ack (default 30 s).
	WorkTimeout time.Duration
}

// Adapter is the Slack adapter. Its HTTP handlers and Socket Mode loop share
// one bounded worker pool, started by Run.
type Adapter struct {
	cfg     Config
	log     *slog.Logger
	jobs    chan job
	renders renderCache
	bufs    sync.Pool // *bytes.Buffer for request bodies
	// guardUntil (a time.Duration on the clock below) is when slash
	// commands go back to being answered inline, after a slow answer.
	guardUntil atomic.Int64
	// started is the origin of the adapter's clock: time.Since(started) reads
	// only the monotonic clock, cheaper than time.Now on every request and
	// deaf to wall-clock steps.
	started time.Time
	// jsonContentType is shared by every answer; net/http only reads it.
	jsonContentType []string
}

type job struct {
	name string
	run  func(context.Context) error
}

// New returns an Adapter.
func New(cfg Config) (*Adapter, error) {
	if cfg.Bot == nil {
		return nil, errors.New("slack adapter: no bot configured")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 256
	}
	if cfg.AckBudget <= 0 {
		cfg.AckBudget = 2500 * time.Millisecond
	}
	if cfg.SlowAnswer <= 0 {
		cfg.SlowAnswer = 500 * time.Millisecond
	}
	if cfg.GuardFor <= 0 {
		cfg.GuardFor = 10 * time.Second
	}
	if cfg.WorkTimeout <= 0 {
		cfg.WorkTimeout = 30 * time.Second
	}
	log := cfg.Logger.With("platform", Platform)
	return &Adapter{cfg: cfg, log: log, jobs: make(chan job, cfg.Queue), jsonContentType: []string{"application/json"}, started: time.Now()}, nil
}

// Run processes acknowledged work until ctx ends.
func (a *Adapter) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range a.cfg.Workers {
		wg.Go(func() { a.work(ctx) })
	}
	wg.Wait()
	return ctx.Err()
}

func (a *Adapter) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-a.jobs:
			jctx, cancel := context.WithTimeout(ctx, a.cfg.WorkTimeout)
			if err := j.run(jctx); err != nil {
				a.log.ErrorContext(jctx, "slack work failed", "work", j.name, "err", err)
			}
			cancel()
		}
	}
}

// submit queues work without blocking; false means the queue is full and
// the delivery should not be acknowledged, so Slack retries it.
func (a *Adapter) submit(name string, run func(context.Context) error) bool {
	select {
	case a.jobs <- job{name: name, run: run}:
		return true
	default:
		a.log.Warn("slack work queue full; not acknowledging", "work", name)
		return false
	}
}

// conversation is the key follow-ups in a thread share.
func conversation(channel, threadTS string) string {
	if channel == "" || threadTS == "" {
		return ""
	}
	return channel + ":" + threadTS
}

// commandRequest is the bot's request for a slash command's text, from a
// user in a workspace.
func commandRequest(text, userID, teamID string) bot.Request {
	return bot.Request{Platform: Platform, Kind: bot.KindCommand, Text: unescape(text), UserID: userID, Community: teamID}
}

// commandLater answers a slash command (from Socket Mode) through its response_url.
func (a *Adapter) commandLater(c slack.SlashCommand) func(context.Context) error {
	return func(ctx context.Context) error {
		m := Render(a.cfg.Bot.Handle(ctx, commandRequest(c.Text, c.UserID, c.TeamID)), View{Ephemeral: true})
		if m.Empty() {
			return nil
		}
		return a.respond(ctx, c.ResponseURL, response{ResponseType: slack.ResponseTypeEphemeral, Message: m})
	}
}

// event is an Events API event the bot answers: a mention, or a direct message.
type event struct {
	teamID, eventID string
	user, text      string
	channel         string
	ts, threadTS    string
	kind            bot.Kind
}

// eventOf picks out what the bot answers; ok is false for everything else
// (other event types, edits, bot messages, the bot's own replies).
func eventOf(teamID, eventID string, inner any) (event, bool) {
	e := event{teamID: teamID, eventID: eventID}
	switch ev := inner.(type) {
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.User == "" {
			return event{}, false
		}
		e.user, e.text, e.channel, e.ts, e.threadTS, e.kind = ev.User, ev.Text, ev.Channel, ev.TimeStamp, ev.ThreadTimeStamp, bot.KindMention
	case *slackevents.MessageEvent:
		// Channel messages that mention the bot arrive as app_mention too.
		if ev.ChannelType != "im" || ev.SubType != "" || ev.BotID != "" || ev.User == "" {
			return event{}, false
		}
		e.user, e.text, e.channel, e.ts, e.threadTS, e.kind = ev.User, ev.Text, ev.Channel, ev.TimeStamp, ev.ThreadTimeStamp, bot.KindDM
	default:
		return event{}, false
	}
	if e.channel == "" || e.ts == "" {
		return event{}, false
	}
	if e.threadTS == "" {
		e.threadTS = e.ts // the answer starts a thread under the question
	}
	return e, true
}

// answerEvent answers a mention or DM in its thread; the thread is the
// conversation follow-ups refer to. Retries carry the same event id, so the
// bot's de-duplication answers once.
func (a *Adapter) answerEvent(e event) func(context.Context) error {
	return func(ctx context.Context) error {
		req := bot.Request{Platform: Platform, Kind: e.kind, Text: unescape(e.text), EventID: e.eventID,
			UserID: e.user, Community: e.teamID, Conversation: conversation(e.channel, e.threadTS)}
		m := Render(a.cfg.Bot.Handle(ctx, req), View{})
		if m.Empty() {
			a.log.DebugContext(ctx, "duplicate event; not answering", "event", e.eventID)
			return nil
		}
		return a.postInThread(ctx, e.channel, e.threadTS, m)
	}
}

// action is one button click.
type action struct {
	kind      string // ActionPick, ActionShare or ActionDetails
	choice    Choice
	user      string
	team      string
	channel   string
	ts        string
	threadTS  string
	ephemeral bool
	url       string
}

// actionsOf lists the clicks on the adapter's buttons in an interaction.
func actionsOf(cb slack.InteractionCallback) ([]action, error) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return nil, nil
	}
	base := action{
		user: cb.User.ID, team: cb.Team.ID, url: cb.ResponseURL,
		channel: cb.Container.ChannelID, ts: cb.Container.MessageTs, threadTS: cb.Container.ThreadTs,
		ephemeral: cb.Container.IsEphemeral,
	}
	if base.team == "" {
		base.team = cb.User.TeamID
	}
	if base.channel == "" {
		base.channel = cb.Channel.ID
	}
	if base.ts == "" {
		base.ts = cb.Message.Timestamp
	}
	if base.threadTS == "" {
		base.threadTS = cb.Message.ThreadTimestamp
	}
	var out []action
	for _, ba := range cb.ActionCallback.BlockActions {
		if ba == nil {
			continue
		}
		kind := actionKind(ba.ActionID)
		if kind == "" {
			continue
		}
		c, err := DecodeChoice(ba.Value)
		if err != nil {
			return nil, fmt.Errorf("action %s: %w", ba.ActionID, err)
		}
		act := base
		act.kind, act.choice = kind, c
		out = append(out, act)
	}
	return out, nil
}

func actionKind(id string) string {
	switch {
	case id == ActionShare, id == ActionDetails:
		return id
	case id == ActionPick, strings.HasPrefix(id, ActionPick+"."):
		return ActionPick
	}
	return ""
}

// answerAction answers a click: a pick or Details replaces the message, a
// share posts the advisory in the channel for everyone.
func (a *Adapter) answerAction(act action) func(context.Context) error {
	return func(ctx context.Context) error {
		req := bot.Request{Platform: Platform, Kind: bot.KindButton, Options: act.choice.Options(),
			UserID: act.user, Community: act.team, Conversation: conversation(act.channel, act.threadTS)}
		reply := a.cfg.Bot.Handle(ctx, req)
		switch act.kind {
		case ActionShare:
			return a.share(ctx, act, Render(reply, View{}))
		case ActionDetails:
			return a.replace(ctx, act, Render(reply, View{Ephemeral: act.ephemeral, Details: true}))
		default:
			return a.replace(ctx, act, Render(reply, View{Ephemeral: act.ephemeral}))
		}
	}
}
