// Package discord is advisorybot's Discord adapter: the /advisory slash
// command with autocomplete, disambiguation buttons, Details and Share
// buttons, @mentions and DMs. Interactions arrive over the gateway
// (Gateway) or as signed HTTP requests (HTTPHandler); both go through one
// Handler. The adapter only translates: every answer comes from bot.Bot.
package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
	"advisorybot/internal/answermemo"
)

// Platform is the bot.Request platform name; shared-state keys start with it.
const Platform = "discord"

// CommandName is the slash command.
const CommandName = "advisory"

// titleIDPrefix marks an autocomplete choice: its value names the review id,
// so a picked suggestion needs no second search.
const titleIDPrefix = "id:"

// Answerer is what the adapter needs from the bot; *bot.Bot implements it.
type Answerer interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
	Suggest(ctx context.Context, prefix string, limit int) []bot.TitleRef
}

// Sender delivers an answer that was deferred: it edits the original
// interaction response (PATCH /webhooks/{app}/{token}/messages/@original).
type Sender interface {
	EditOriginal(ctx context.Context, appID, token string, data *discordgo.InteractionResponseData) error
}

// Config wires a Handler. Bot and Sender are required.
type Config struct {
	Bot    Answerer
	Sender Sender
	Logger *slog.Logger
	// Budget is how long an answer may take before the interaction is
	// deferred and answered by a follow-up. Discord allows 3 s for the
	// first response; the default, 2 s, leaves room for the network.
	Budget time.Duration
	// AnswerTimeout bounds the bot's work on one interaction, from its
	// arrival (default 10 s; it must exceed Budget). Past it, a deferred
	// interaction's "thinking…" is replaced by a message saying the answer
	// took too long, and the answer is dropped if it comes later.
	AnswerTimeout time.Duration
	// Settings answers /advisory-settings and tells a community's choice of
	// visibility; nil means Bot's, if it has them (*bot.Bot does).
	Settings Settings
	// CountRejected, when set, is told of every request the HTTP endpoint
	// rejects, with its reason (a small fixed set), for metrics.
	CountRejected func(reason string)
}

// editTimeout bounds one edit of an interaction response.
const editTimeout = 5 * time.Second

// Handler answers interactions, whichever way they arrive. Every answer,
// deferred ones included, is sent before interact returns, so whoever runs
// interact (an HTTP request, a gateway event) owns all of its work.
type Handler struct {
	bot      Answerer
	sender   Sender
	log      *slog.Logger
	budget   time.Duration
	timeout  time.Duration
	settings Settings // nil: /advisory-settings is unavailable
	rejected func(reason string)
	answers  answermemo.Memo // encoded answers the bot memoises
}

// NewHandler returns a Handler.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Bot == nil || cfg.Sender == nil {
		return nil, errors.New("discord handler: Bot and Sender are required")
	}
	h := &Handler{bot: cfg.Bot, sender: cfg.Sender, log: cfg.Logger, budget: cfg.Budget, timeout: cfg.AnswerTimeout, settings: cfg.Settings, rejected: cfg.CountRejected}
	if s, ok := cfg.Bot.(Settings); ok && h.settings == nil {
		h.settings = s
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.budget <= 0 {
		h.budget = 2 * time.Second
	}
	if h.timeout <= 0 {
		h.timeout = 10 * time.Second
	}
	if h.timeout <= h.budget {
		return nil, fmt.Errorf("discord handler: AnswerTimeout %v must exceed Budget %v", h.timeout, h.budget)
	}
	return h, nil
}

// interaction is the part of Discord's interaction object the adapter
// reads, filled by decodeInteraction (decode.go); the JSON tags name the
// fields it reads.
type interaction struct {
	ID            string                    `json:"id"`
	ApplicationID string                    `json:"application_id"`
	Type          discordgo.InteractionType `json:"type"`
	Token         string                    `json:"token"`
	GuildID       string                    `json:"guild_id"`
	ChannelID     string                    `json:"channel_id"`
	Member        *struct {
		User *userRef `json:"user"`
		// Permissions are the member's in the channel, overwrites
		// included, as a decimal bit set (settings.go reads them).
		Permissions string `json:"permissions"`
	} `json:"member"`
	User    *userRef        `json:"user"`
	Data    interactionData `json:"data"`
	Message *struct {
		ID    string                 `json:"id"`
		Flags discordgo.MessageFlags `json:"flags"`
	} `json:"message"`
}

type userRef struct {
	ID  string `json:"id"`
	Bot bool   `json:"bot"`
}

type interactionData struct {
	Name          string                  `json:"name"`
	Options       []commandOption         `json:"options"`
	CustomID      string                  `json:"custom_id"`
	ComponentType discordgo.ComponentType `json:"component_type"`
	Values        []string                `json:"values"`
}

type commandOption struct {
	Name    string          `json:"name"`
	Value   any             `json:"value"`
	Focused bool            `json:"focused"`
	Options []commandOption `json:"options"`
}

func (i *interaction) userID() string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// ErrBadInteraction marks a payload the adapter cannot use.
var ErrBadInteraction = errors.New("bad interaction")

// errDuplicate: the interaction id was answered before (by this replica or
// another sharing the Deduper), and nothing was sent this time.
var errDuplicate = errors.New("interaction already answered")

// Send delivers an interaction response (JSON) to Discord: the HTTP
// response body, or a POST to the callback endpoint. deferred marks a
// deferral, which must reach Discord before the answer edits it.
type send func(body []byte, deferred bool)

// interact answers one interaction by calling send exactly once: with the
// answer, or, when the bot takes longer than the budget, with a deferral
// (from another goroutine, while the bot is still working), in which case
// the answer follows through the Sender before interact returns. send is
// never called after interact returns. An error means nothing was sent:
// the payload is unusable (ErrBadInteraction) or a replay (errDuplicate).
func (h *Handler) interact(ctx context.Context, i *interaction, send send) error {
	switch i.Type {
	case discordgo.InteractionPing:
		send([]byte(`{"type":1}`), false)
		return nil
	case discordgo.InteractionApplicationCommandAutocomplete:
		b, err := h.autocomplete(ctx, i)
		if err != nil {
			return err
		}
		send(b, false)
		return nil
	case discordgo.InteractionApplicationCommand:
		if i.Data.Name == SettingsCommandName {
			return h.configure(ctx, i, send)
		}
		if i.Data.Name != CommandName {
			send(h.problem("I don't know that command.", "Use /advisory."), false)
			return nil
		}
		req := h.request(i, bot.KindCommand)
		req.Options = commandOptions(i.Data.Options)
		return h.answer(ctx, i, req, modeAsk, send)
	case discordgo.InteractionMessageComponent:
		c, err := parseCustomID(i.Data.CustomID)
		if err != nil {
			h.log.WarnContext(ctx, "discord: unknown component", "custom_id", i.Data.CustomID, "err", err)
			send(h.problem("I don't recognise that button.", "Ask again with /advisory."), false)
			return nil
		}
		if c.ID == "" && len(i.Data.Values) > 0 {
			c.ID = i.Data.Values[0]
		}
		if c.ID == "" {
			send(h.problem("Nothing was chosen.", "Pick a title, or ask again with /advisory."), false)
			return nil
		}
		req := h.request(i, bot.KindButton)
		req.Options = &bot.Options{ID: c.ID, Age: c.Age, Topic: c.Topic}
		m := modeShare
		switch c.Action {
		case actionPick:
			m = modePick
			if i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
				m = modePickEphemeral
			}
		case actionDetails:
			m = modeDetails
		}
		return h.answer(ctx, i, req, m, send)
	}
	return fmt.Errorf("%w: unsupported type %d", ErrBadInteraction, i.Type)
}

func (h *Handler) request(i *interaction, k bot.Kind) bot.Request {
	// Discord delivers an interaction once, so a second delivery of its id
	// is a replay: the EventID lets the bot's Deduper refuse it before it
	// changes any state (rate limits, conversations).
	return bot.Request{Platform: Platform, Kind: k, EventID: i.ID, UserID: i.userID(), Community: i.GuildID, Conversation: i.ChannelID}
}

// commandOptions reads /advisory's options. A title picked from
// autocomplete carries its review id.
func commandOptions(opts []commandOption) *bot.Options {
	o := &bot.Options{}
	for _, op := range opts {
		switch op.Name {
		case "title":
			t := optString(op.Value)
			if id, ok := strings.CutPrefix(t, titleIDPrefix); ok && id != "" {
				o.ID = id
			} else {
				o.Title = t
			}
		case "year":
			o.Year = optInt(op.Value)
		case "age":
			o.Age = optInt(op.Value)
		case "topic":
			o.Topic = bot.Topic(optString(op.Value))
		}
	}
	return o
}

func optString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// optInt reads an integer option; anything else (autocomplete sends what
// was typed so far, as text) is 0, "not given".
func optInt(v any) int {
	switch v := v.(type) {
	case float64:
		if v == math.Trunc(v) && v > 0 && v < 10000 {
			return int(v)
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n < 10000 {
			return n
		}
	}
	return 0
}

// mode is how an answer is shown.
type mode uint8

const (
	modeAsk           mode = iota // /advisory: a new ephemeral message
	modePick                      // a choice: update the message in place
	modePickEphemeral             // the same, on an ephemeral message
	modeShare                     // "Share in channel", or /advisory in a public community: a new public message
	modeDetails                   // "Details": the long notes, ephemeral
)

func (m mode) callback() (typ discordgo.InteractionResponseType, deferred discordgo.InteractionResponseType, ephemeral bool) {
	switch m {
	case modePick:
		return discordgo.InteractionResponseUpdateMessage, discordgo.InteractionResponseDeferredMessageUpdate, false
	case modePickEphemeral:
		return discordgo.InteractionResponseUpdateMessage, discordgo.InteractionResponseDeferredMessageUpdate, true
	case modeShare:
		return discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource, false
	}
	return discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource, true
}

func (m mode) render(r bot.Reply) *discordgo.InteractionResponseData {
	var d *discordgo.InteractionResponseData
	if m == modeDetails {
		d = renderDetails(r)
	} else {
		_, _, eph := m.callback()
		d = renderData(r, view{ephemeral: eph})
	}
	if d == nil { // a duplicate: already answered elsewhere
		d = &discordgo.InteractionResponseData{Content: "Already answered.", Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral}
	}
	return d
}

// answer runs the bot in the calling goroutine, watched by two timers. If
// the budget passes first, one sends the deferral and the answer follows
// as an edit of the original response. If the bot is still working when
// AnswerTimeout passes, the other edits the deferral into a message saying
// so, and the answer, whenever it comes, is dropped. (The bot runs in the
// calling goroutine, not one per request: that kept the p99 down under load.)
func (h *Handler) answer(ctx context.Context, i *interaction, req bot.Request, m mode, send send) error {
	// The work may outlive the request that brought it (a deferral), so it
	// keeps ctx's values but not its cancellation, and has its own deadline.
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.timeout)
	defer cancel()
	const (
		pending  = iota // nothing sent yet
		deferred        // the deferral is out; the answer will be an edit
		expired         // the user has been told it took too long
		done            // the bot has answered
	)
	var (
		mu    sync.Mutex
		state = pending
	)
	watchdog := time.AfterFunc(h.budget, func() {
		mu.Lock()
		defer mu.Unlock()
		if state != pending {
			return
		}
		state = deferred
		h.log.InfoContext(ctx, "discord: answer is slow; deferring", "interaction", i.ID, "budget", h.budget)
		// A deferral fixes whether the answer will be ephemeral, so the
		// community's choice is read now, before the answer exists.
		if m == modeAsk && h.public(ctx, i) {
			m = modeShare
		}
		send(m.deferral(), true)
	})
	timedOut := make(chan struct{})
	stopExpiry := context.AfterFunc(work, func() {
		defer close(timedOut)
		mu.Lock()
		if state != deferred {
			mu.Unlock()
			return
		}
		state = expired
		mu.Unlock()
		h.tooLong(ctx, i, m)
	})
	r := h.bot.Handle(work, req)
	// An answer that comes when the deadline has passed (the bot gave up,
	// or finished just too late) counts as late, whoever sees it first.
	late := work.Err() != nil
	mu.Lock()
	was := state
	switch {
	case state == deferred && late:
		state = expired
	case state != expired:
		state = done
	}
	mu.Unlock()
	watchdog.Stop()
	if !stopExpiry() {
		<-timedOut // the expiry has run (or is running): let it finish
	}
	duplicate := r.Status == bot.StatusDuplicate
	if was == pending && m == modeAsk && shownPublicly(r) {
		m = modeShare // the community chose public answers
	}
	switch {
	case was == pending && duplicate:
		return errDuplicate
	case was == pending:
		send(h.response(r, m), false)
	case was == expired:
		h.log.InfoContext(ctx, "discord: dropping an answer that came too late", "interaction", i.ID)
	case late:
		h.tooLong(ctx, i, m)
	case duplicate:
		// A replay that was slow to be recognised: the deferral went to the
		// replayer; the original response belongs to the first delivery.
		h.log.InfoContext(ctx, "discord: replayed interaction after a deferral; not editing", "interaction", i.ID)
	default:
		h.edit(ctx, i, m.render(r))
	}
	return nil
}

// tooLong replaces the deferral of an answer that did not come in time.
func (h *Handler) tooLong(ctx context.Context, i *interaction, m mode) {
	h.log.WarnContext(ctx, "discord: answer took too long; telling the user", "interaction", i.ID, "after", h.timeout)
	_, _, eph := m.callback()
	r := bot.Reply{Status: bot.StatusError, Error: &bot.Problem{Message: "Sorry, that took too long to answer.",
		Next: "Please try again in a minute with /advisory."}}
	h.edit(ctx, i, renderData(r, view{ephemeral: eph}))
}

// edit replaces the original response to a deferred interaction.
func (h *Handler) edit(ctx context.Context, i *interaction, d *discordgo.InteractionResponseData) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), editTimeout)
	defer cancel()
	if err := h.sender.EditOriginal(ctx, i.ApplicationID, i.Token, d); err != nil {
		h.log.ErrorContext(ctx, "discord: sending deferred answer", "interaction", i.ID, "err", err)
	}
}

// deferral is the response that acknowledges now and answers later.
func (m mode) deferral() []byte {
	_, deferred, eph := m.callback()
	if deferred == discordgo.InteractionResponseDeferredMessageUpdate {
		return []byte(`{"type":6}`)
	}
	if eph {
		return []byte(`{"type":5,"data":{"flags":64}}`)
	}
	return []byte(`{"type":5}`)
}

// response marshals an answer as an interaction response.
func (h *Handler) response(r bot.Reply, m mode) []byte {
	variant := string('0' + rune(m))
	if b, ok := h.answers.Get(r, variant); ok {
		return b
	}
	typ, _, _ := m.callback()
	b, err := json.Marshal(discordgo.InteractionResponse{Type: typ, Data: m.render(r)})
	if err != nil {
		// Every field is a string, number or slice of them: unreachable.
		h.log.Error("discord: marshalling response", "err", err)
		return h.problem("Something went wrong.", "Please try again.")
	}
	h.answers.Put(r, variant, b)
	return b
}

// problem is an ephemeral error message with a next step.
func (h *Handler) problem(msg, next string) []byte {
	r := bot.Reply{Status: bot.StatusError, Error: &bot.Problem{Message: msg, Next: next}, Text: msg + " " + next}
	b, _ := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderData(r, view{ephemeral: true})})
	return b
}

// maxChoices is Discord's limit on autocomplete choices.
const maxChoices = 25

type autocompleteResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []choice `json:"choices"`
	} `json:"data"`
}

type choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// autocomplete suggests titles for the focused title option, labelled
// "Ballerina (2023) · TV-MA".
func (h *Handler) autocomplete(ctx context.Context, i *interaction) ([]byte, error) {
	var resp autocompleteResponse
	resp.Type = discordgo.InteractionApplicationCommandAutocompleteResult
	resp.Data.Choices = []choice{}
	for _, op := range i.Data.Options {
		if !op.Focused || op.Name != "title" {
			continue
		}
		prefix := strings.TrimPrefix(optString(op.Value), titleIDPrefix)
		for _, t := range h.bot.Suggest(ctx, prefix, maxChoices) {
			v := titleIDPrefix + t.ID
			if len(v) > maxOptionLabel {
				v = clip(fmt.Sprintf("%s %d", t.Title, t.Year), maxOptionLabel)
			}
			resp.Data.Choices = append(resp.Data.Choices, choice{Name: clip(t.Label(), maxOptionLabel), Value: v})
		}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("marshalling autocomplete: %w", err)
	}
	return b, nil
}
