package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
)

// Intents the gateway asks for. Discord sends the text of messages that
// mention the bot, and of DMs, without the privileged message-content intent.
const Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// NewSession returns a discordgo session for a bot token ("" for an
// HTTP-only deployment, which only edits its own interaction responses).
func NewSession(token string) (*discordgo.Session, error) {
	if token != "" {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Identify.Intents = Intents
	// The state cache is only needed for the bot's own user id.
	s.State.TrackChannels, s.State.TrackEmojis, s.State.TrackMembers = false, false, false
	s.State.TrackRoles, s.State.TrackVoice, s.State.TrackPresences = false, false, false
	s.State.TrackThreads, s.State.TrackStickers, s.State.TrackThreadMembers = false, false, false
	return s, nil
}

// SessionSender sends deferred answers through a discordgo session.
type SessionSender struct{ S *discordgo.Session }

// EditOriginal edits the original interaction response.
func (ss SessionSender) EditOriginal(ctx context.Context, appID, token string, d *discordgo.InteractionResponseData) error {
	edit := &discordgo.WebhookEdit{Content: &d.Content, Components: &d.Components, Embeds: &d.Embeds, AllowedMentions: d.AllowedMentions}
	if _, err := ss.S.WebhookMessageEdit(appID, token, "@original", edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("editing interaction response: %w", err)
	}
	return nil
}

// GatewayConfig wires a Gateway.
type GatewayConfig struct {
	Session *discordgo.Session
	Handler *Handler
	Bot     Answerer
	Logger  *slog.Logger
	// ShardID and ShardCount split guilds between processes
	// (DISCORD_SHARD_ID / DISCORD_SHARD_COUNT); zero count means one shard.
	ShardID, ShardCount int
	// MessageTimeout bounds answering one message (default 30 s).
	MessageTimeout time.Duration
}

// Gateway is the websocket connection: interactions, mentions and DMs.
type Gateway struct {
	s       *discordgo.Session
	h       *Handler
	bot     Answerer
	log     *slog.Logger
	timeout time.Duration

	// Event handlers run in goroutines the Gateway starts (track) and
	// counts, so Run can wait for them.
	mu      sync.Mutex
	closing bool // Run is returning: events that arrive now are not started
	wg      sync.WaitGroup
}

// NewGateway checks the configuration and returns a Gateway.
func NewGateway(cfg GatewayConfig) (*Gateway, error) {
	if cfg.Session == nil || cfg.Handler == nil || cfg.Bot == nil {
		return nil, errors.New("discord gateway: Session, Handler and Bot are required")
	}
	if cfg.ShardCount == 0 {
		cfg.ShardCount = 1
	}
	if cfg.ShardCount < 1 || cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount {
		return nil, fmt.Errorf("discord gateway: shard %d of %d: want 0 <= id < count", cfg.ShardID, cfg.ShardCount)
	}
	cfg.Session.ShardID, cfg.Session.ShardCount = cfg.ShardID, cfg.ShardCount
	// discordgo would start a goroutine per handler call, which nothing
	// waits for; the Gateway starts (and counts) its own instead.
	cfg.Session.SyncEvents = true
	// discordgo's own reconnect loop outlives Close and never stops; Run
	// reconnects instead, and stops when it returns.
	cfg.Session.ShouldReconnectOnError = false
	g := &Gateway{s: cfg.Session, h: cfg.Handler, bot: cfg.Bot, log: cfg.Logger, timeout: cfg.MessageTimeout}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.timeout <= 0 {
		g.timeout = 30 * time.Second
	}
	return g, nil
}

// Run connects and answers events until ctx ends, reconnecting whenever
// the connection is lost. Then it disconnects and returns once every event
// already started has been answered: that work keeps going after ctx ends,
// bounded by its own timeouts.
func (g *Gateway) Run(ctx context.Context) error {
	// Answers are not cut short by the shutdown that ends ctx.
	work := context.WithoutCancel(ctx)
	removeEvents := g.s.AddHandler(func(s *discordgo.Session, e *discordgo.Event) {
		if e.Type == "INTERACTION_CREATE" {
			g.track(work, e.Type, func() { g.interaction(work, s, e.RawData) })
		}
	})
	defer removeEvents()
	removeMessages := g.s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		g.track(work, "MESSAGE_CREATE", func() { g.message(work, s, m) })
	})
	defer removeMessages()
	// discordgo closes the connection when it fails (read, heartbeat) or
	// when Discord asks for a new one (op 7), and reports it here. It also
	// reports a disconnect when a goroutine of an already lost connection
	// closes again; only the first report after a connect is a loss.
	var up atomic.Bool
	lost := make(chan struct{}, 1)
	removeUp := g.s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { up.Store(true) })
	defer removeUp()
	removeLost := g.s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		if up.CompareAndSwap(true, false) {
			select {
			case lost <- struct{}{}:
			default:
			}
		}
	})
	defer removeLost()
	if err := g.s.Open(); err != nil {
		return fmt.Errorf("opening discord gateway (shard %d/%d): %w", g.s.ShardID, g.s.ShardCount, err)
	}
	g.log.InfoContext(ctx, "discord gateway connected", "shard", g.s.ShardID, "shards", g.s.ShardCount)
	for g.reconnect(ctx, lost) {
	}
	err := g.s.Close()
	// Events discordgo dispatched before the close have been counted by
	// now or are refused by the flag; none is counted after Wait begins.
	g.mu.Lock()
	g.closing = true
	g.mu.Unlock()
	g.wg.Wait()
	if err != nil {
		return fmt.Errorf("closing discord gateway: %w", err)
	}
	return ctx.Err()
}

// Reconnection backoff. Each attempt waits half to all of its step, with
// jitter as Discord asks of clients. The first wait also matters for
// correctness: discordgo v0.29.0 closes a lost connection while holding
// the session's lock for a second, and that connection's heartbeat
// goroutine, blocked meanwhile, then fails its send and closes whatever
// connection is current. Opening at once would hand it the new one, and
// every replacement would be lost the same way.
const (
	minReconnect = time.Second
	maxReconnect = 2 * time.Minute
)

// reconnect waits for the connection to be lost and opens it again (a
// resume, since the session id is kept), retrying with backoff. It
// reports false when ctx ends.
func (g *Gateway) reconnect(ctx context.Context, lost <-chan struct{}) bool {
	select {
	case <-ctx.Done():
		return false
	case <-lost:
	}
	for step := minReconnect; ; step = min(2*step, maxReconnect) {
		t := time.NewTimer(step/2 + rand.N(step/2))
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
		err := g.s.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			g.log.InfoContext(ctx, "discord gateway reconnected", "shard", g.s.ShardID)
			return true
		}
		g.log.WarnContext(ctx, "discord gateway: reconnecting failed", "shard", g.s.ShardID, "err", err)
	}
}

// track starts fn, an event's handler, in a goroutine of the Gateway's:
// Run waits for it, it is not started once Run is returning, and a panic in
// it is logged rather than ending the process. discordgo calls track from
// the goroutine that reads the websocket (SyncEvents), one event after
// another, so an event is counted before any later one is read.
func (g *Gateway) track(ctx context.Context, event string, fn func()) {
	g.mu.Lock()
	if g.closing {
		g.mu.Unlock()
		g.log.WarnContext(ctx, "discord: event arrived while shutting down; not answered", "event", event)
		return
	}
	g.wg.Add(1)
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		defer func() {
			if p := recover(); p != nil {
				g.log.ErrorContext(ctx, "discord: panic handling an event", "event", event, "panic", p, "stack", string(debug.Stack()))
			}
		}()
		fn()
	}()
}

// interaction answers an INTERACTION_CREATE through the callback endpoint.
func (g *Gateway) interaction(ctx context.Context, s *discordgo.Session, raw json.RawMessage) {
	i, err := decodeInteraction(raw)
	if err != nil {
		g.log.WarnContext(ctx, "discord: undecodable interaction", "err", err)
		return
	}
	// The callback must reach Discord within its deadline; a deferred
	// answer is sent later, by an edit with a deadline of its own.
	cb, cancel := context.WithTimeout(ctx, discordgo.InteractionDeadline)
	defer cancel()
	err = g.h.interact(ctx, i, func(body []byte, _ bool) {
		endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
		if _, err := s.RequestWithBucketID("POST", endpoint, json.RawMessage(body), discordgo.EndpointInteractionResponse(i.ID, ""), discordgo.WithContext(cb)); err != nil {
			g.log.ErrorContext(cb, "discord: sending interaction response", "interaction", i.ID, "err", err)
		}
	})
	switch {
	case errors.Is(err, errDuplicate):
		g.log.InfoContext(ctx, "discord: interaction delivered again; answered once already", "interaction", i.ID)
	case err != nil:
		g.log.WarnContext(ctx, "discord: interaction not answered", "interaction", i.ID, "err", err)
	}
}

// message answers a mention in a guild channel, or any DM, as a reply to
// that message. Bots, this bot included, are ignored.
func (g *Gateway) message(ctx context.Context, s *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Message == nil || m.Author == nil || m.Author.Bot {
		return
	}
	me := selfID(s)
	if me == "" || m.Author.ID == me {
		return
	}
	kind := bot.KindDM
	if m.GuildID != "" {
		if !slices.ContainsFunc(m.Mentions, func(u *discordgo.User) bool { return u != nil && u.ID == me }) {
			return
		}
		kind = bot.KindMention
	}
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	// Follow-ups belong to the channel (a thread is a channel of its own).
	r := g.bot.Handle(ctx, bot.Request{Platform: Platform, Kind: kind, Text: m.Content, EventID: m.ID,
		UserID: m.Author.ID, Community: m.GuildID, Conversation: m.ChannelID})
	no := false
	send := renderMessage(r, &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no})
	if send == nil {
		return // a duplicate delivery, answered already
	}
	if _, err := s.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(ctx)); err != nil {
		g.log.ErrorContext(ctx, "discord: replying to message", "message", m.ID, "channel", m.ChannelID, "err", err)
	}
}

// selfID is the bot's user id, known once READY has arrived.
func selfID(s *discordgo.Session) string {
	if s.State == nil {
		return ""
	}
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}
