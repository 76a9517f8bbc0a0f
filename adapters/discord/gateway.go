package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
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
	g := &Gateway{s: cfg.Session, h: cfg.Handler, bot: cfg.Bot, log: cfg.Logger, timeout: cfg.MessageTimeout}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.timeout <= 0 {
		g.timeout = 30 * time.Second
	}
	return g, nil
}

// Run connects and answers events until ctx ends. Then it disconnects and
// returns once every event already started has been answered: that work
// keeps going after ctx ends, bounded by its own timeouts.
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
	if err := g.s.Open(); err != nil {
		return fmt.Errorf("opening discord gateway (shard %d/%d): %w", g.s.ShardID, g.s.ShardCount, err)
	}
	g.log.InfoContext(ctx, "discord gateway connected", "shard", g.s.ShardID, "shards", g.s.ShardCount)
	<-ctx.Done()
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
