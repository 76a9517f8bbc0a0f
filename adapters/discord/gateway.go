package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	g := &Gateway{s: cfg.Session, h: cfg.Handler, bot: cfg.Bot, log: cfg.Logger, timeout: cfg.MessageTimeout}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.timeout <= 0 {
		g.timeout = 30 * time.Second
	}
	return g, nil
}

// Run connects and answers events until ctx ends.
func (g *Gateway) Run(ctx context.Context) error {
	removeEvents := g.s.AddHandler(func(s *discordgo.Session, e *discordgo.Event) {
		if e.Type == "INTERACTION_CREATE" {
			g.interaction(ctx, s, e.RawData)
		}
	})
	defer removeEvents()
	removeMessages := g.s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		g.message(ctx, s, m)
	})
	defer removeMessages()
	if err := g.s.Open(); err != nil {
		return fmt.Errorf("opening discord gateway (shard %d/%d): %w", g.s.ShardID, g.s.ShardCount, err)
	}
	g.log.InfoContext(ctx, "discord gateway connected", "shard", g.s.ShardID, "shards", g.s.ShardCount)
	<-ctx.Done()
	err := g.s.Close()
	g.h.Wait()
	if err != nil {
		return fmt.Errorf("closing discord gateway: %w", err)
	}
	return ctx.Err()
}

// interaction answers an INTERACTION_CREATE through the callback endpoint.
func (g *Gateway) interaction(ctx context.Context, s *discordgo.Session, raw json.RawMessage) {
	i, err := decodeInteraction(raw)
	if err != nil {
		g.log.WarnContext(ctx, "discord: undecodable interaction", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, discordgo.InteractionDeadline)
	defer cancel()
	err = g.h.interact(ctx, i, func(body []byte, _ bool) {
		endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
		if _, err := s.RequestWithBucketID("POST", endpoint, json.RawMessage(body), discordgo.EndpointInteractionResponse(i.ID, ""), discordgo.WithContext(ctx)); err != nil {
			g.log.ErrorContext(ctx, "discord: sending interaction response", "interaction", i.ID, "err", err)
		}
	})
	if err != nil {
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
