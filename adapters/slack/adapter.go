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
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"advisorybot/bot"
	"advisorybot/internal/answermemo"
	"advisorybot/internal/rejectlog"
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

// Config wires an Adapter. Bot is required; a bot token is needed for
// mentions, direct messages, chat.update and Socket Mode; SigningSecret for
// the HTTP endpoints.
type Config struct {
	Bot Answerer
	// BotToken (xoxb-…) is the Web API client's token.
	BotToken string
	// AppToken (xapp-…, scope connections:write) opens Socket Mode
	// connections; RunSocketMode needs it and BotToken.
	AppToken string
	// APIURL is the Web API's base URL (Socket Mode's apps.connections.open
	// too); empty means Slack's. Tests point it at a local fake.
	APIURL string
	// API, when set, is used instead of a client built from BotToken.
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
	// HTTP response before the adapter acks it empty and answers through
	// response_url instead (default 2.5 s; Slack allows 3 s).
	AckBudget time.Duration
	// WorkTimeout bounds the bot's work on one request (default 30 s). A slash
	// command not answered by then is told it took too long.
	WorkTimeout time.Duration
	// DrainTimeout bounds how long Run, once its context ends, goes on
	// answering what Slack was told was received (default 10 s); then the
	// work still running is cancelled.
	DrainTimeout time.Duration
	// Settings answers /advisory-settings (settings.go); nil means Bot's, if
	// it has them (*bot.Bot does).
	Settings Configurer
	// CountRejected, when set, is told of every rejected request with its
	// reason (a small fixed set: bad_signature, stale_timestamp,
	// queue_full...), for metrics. It must be quick and safe for
	// concurrent use.
	CountRejected func(reason string)
}

// respondTimeout bounds one post of an answer to Slack.
const respondTimeout = 10 * time.Second

// Adapter is the Slack adapter. Its HTTP handlers and Socket Mode loop share
// one bounded worker pool, run by Run.
type Adapter struct {
	cfg     Config
	log     *slog.Logger
	rejects *rejectlog.Log
	// client is the Web API client built from BotToken; nil without one.
	client  *slack.Client
	jobs    chan job
	admins  *admins         // who may change settings, from users.info
	answers answermemo.Memo // encoded answers to slash commands

	// work is the parent of every piece of work's context; cancelled when
	// Run's drain runs out of time.
	work     context.Context
	stopWork context.CancelFunc

	// socketUp says whether the Socket Mode connection is open.
	socketUp atomic.Bool

	mu      sync.Mutex
	closing bool // Run is shutting down: no new work is accepted
	// wg counts the workers and the slash commands acked before their
	// answer: everything Run waits for.
	wg sync.WaitGroup
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
	if cfg.WorkTimeout <= 0 {
		cfg.WorkTimeout = 30 * time.Second
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	log := cfg.Logger.With("platform", Platform)
	var opts []rejectlog.Option
	if cfg.CountRejected != nil {
		opts = append(opts, rejectlog.WithCounter(cfg.CountRejected))
	}
	a := &Adapter{cfg: cfg, log: log, rejects: rejectlog.New(log, 0, opts...), jobs: make(chan job, cfg.Queue), admins: newAdmins()}
	if c, ok := cfg.Bot.(Configurer); ok && a.cfg.Settings == nil {
		a.cfg.Settings = c
	}
	if cfg.BotToken != "" {
		a.client = newClient(cfg)
		if a.cfg.API == nil {
			a.cfg.API = a.client
		}
	}
	a.work, a.stopWork = context.WithCancel(context.Background())
	return a, nil
}

// newClient builds the Web API client from the tokens and API URL.
func newClient(cfg Config) *slack.Client {
	var opts []slack.Option
	if u := cfg.APIURL; u != "" {
		if !strings.HasSuffix(u, "/") {
			u += "/" // slack-go appends method names to it
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return slack.New(cfg.BotToken, opts...)
}

// Run processes acknowledged work until ctx ends. Then it stops accepting
// work (Slack delivers it again, to a replica still running), answers what
// was already acknowledged for at most DrainTimeout, and returns once every
// piece of work has ended. Run is called once.
func (a *Adapter) Run(ctx context.Context) error {
	for range a.cfg.Workers {
		a.wg.Go(a.worker)
	}
	<-ctx.Done()
	a.mu.Lock()
	a.closing = true
	close(a.jobs) // the workers drain it, then return
	a.mu.Unlock()

	drained := make(chan struct{})
	go func() {
		a.wg.Wait()
		close(drained)
	}()
	timer := time.NewTimer(a.cfg.DrainTimeout)
	defer timer.Stop()
	select {
	case <-drained:
	case <-timer.C:
		a.log.Error("slack: acknowledged work still running at the end of the shutdown drain; cancelling it", "drain", a.cfg.DrainTimeout)
		a.stopWork()
		<-drained // all work takes its context: cancelled, it ends
	}
	a.stopWork()
	return ctx.Err()
}

func (a *Adapter) worker() {
	for j := range a.jobs {
		if a.work.Err() != nil {
			a.log.Error("slack: shutdown drain over; acknowledged work dropped", "work", j.name)
			continue
		}
		a.do(j)
	}
}

// do runs one job; a panic is logged, and the worker carries on.
func (a *Adapter) do(j job) {
	ctx, cancel := context.WithTimeout(a.work, a.cfg.WorkTimeout)
	defer cancel()
	defer a.recoverPanic(ctx, j.name)
	if err := j.run(ctx); err != nil {
		a.log.ErrorContext(ctx, "slack work failed", "work", j.name, "err", err)
	}
}

func (a *Adapter) recoverPanic(ctx context.Context, work string) {
	if p := recover(); p != nil {
		a.log.ErrorContext(ctx, "slack work panicked", "work", work, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	}
}

// submit queues work without blocking; false means the queue is full or the
// adapter is shutting down, and the delivery must not be acknowledged, so
// that Slack delivers it again.
func (a *Adapter) submit(ctx context.Context, name string, run func(context.Context) error) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		a.rejects.Reject(ctx, "shutting_down", "work", name)
		return false
	}
	select {
	case a.jobs <- job{name: name, run: run}:
		return true
	default:
		a.rejects.Reject(ctx, "queue_full", "work", name)
		return false
	}
}

// own counts one piece of acknowledged work Run must wait for; false once
// Run is shutting down (the HTTP server's shutdown waits for it then).
func (a *Adapter) own() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		return false
	}
	a.wg.Add(1)
	return true
}

// workContext is the context of work that may outlive the request that
// brought it: parent's values, WorkTimeout, and cancelled when the
// shutdown drain runs out.
func (a *Adapter) workContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), a.cfg.WorkTimeout)
	stop := context.AfterFunc(a.work, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// conversation is the key follow-ups in a thread share.
func conversation(channel, threadTS string) string {
	if channel == "" || threadTS == "" {
		return ""
	}
	return channel + ":" + threadTS
}

// commandRequest is the bot's request for a slash command. Its trigger_id
// is the delivery's id: a replayed command is answered once.
func commandRequest(c slack.SlashCommand) bot.Request {
	req := bot.Request{Platform: Platform, Kind: bot.KindCommand, Text: unescape(c.Text), UserID: c.UserID, Community: c.TeamID}
	if c.TriggerID != "" {
		req.EventID = "command:" + c.TriggerID
	}
	return req
}

// tooLong is what a slash command gets when the bot ran out of time.
var tooLong = bot.Reply{Status: bot.StatusError, Text: "That took too long. Please try again.",
	Error: &bot.Problem{Code: "timeout", Message: "That took too long.", Next: "Please try again."}}

// answerLate posts a slash command's answer through its response_url; if
// the work ran out of time, it says so instead.
func (a *Adapter) answerLate(work context.Context, responseURL string, reply bot.Reply) error {
	if work.Err() != nil {
		reply = tooLong
	}
	m, shown := commandMessage(reply)
	if m.Empty() {
		return nil // a duplicate
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(work), respondTimeout)
	defer cancel()
	return a.respond(ctx, responseURL, response{ResponseType: shown, Message: m})
}

// commandLater answers a slash command (from Socket Mode) through its response_url.
func (a *Adapter) commandLater(c slack.SlashCommand) func(context.Context) error {
	return func(ctx context.Context) error {
		return a.answerLate(ctx, c.ResponseURL, a.commandReply(ctx, c))
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

// eventOf picks out what the bot answers from an Events API event; ok is
// false for everything else (other event types, edits, bot messages, the
// bot's own replies).
func eventOf(ev slackevents.EventsAPIEvent) (event, bool) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		return event{}, false
	}
	e := event{teamID: ev.TeamID, eventID: cb.EventID}
	switch in := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if in.BotID != "" || in.User == "" {
			return event{}, false
		}
		e.user, e.text, e.channel, e.ts, e.threadTS, e.kind = in.User, in.Text, in.Channel, in.TimeStamp, in.ThreadTimeStamp, bot.KindMention
	case *slackevents.MessageEvent:
		// Channel messages that mention the bot arrive as app_mention too.
		if in.ChannelType != "im" || in.SubType != "" || in.BotID != "" || in.User == "" {
			return event{}, false
		}
		e.user, e.text, e.channel, e.ts, e.threadTS, e.kind = in.User, in.Text, in.Channel, in.TimeStamp, in.ThreadTimeStamp, bot.KindDM
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
	delivery  string // the click's id, for de-duplication
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
		if cb.TriggerID != "" {
			// A replay carries the same trigger_id: it is answered once.
			act.delivery = "click:" + cb.TriggerID + ":" + ba.ActionID
		}
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
		req := bot.Request{Platform: Platform, Kind: bot.KindButton, Options: act.choice.Options(), EventID: act.delivery,
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
