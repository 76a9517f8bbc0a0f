package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// fixtureBot answers from testdata/reviews, where "Ballerina" is ambiguous.
func fixtureBot(t testing.TB) *bot.Bot {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	return bot.New(bot.Config{Catalog: live, Gate: store, Settings: store})
}

// countingBot counts what reaches the bot, and can be slowed down (only
// inside a synctest bubble, where the delay is fake time).
type countingBot struct {
	Answerer
	delay    time.Duration
	handled  atomic.Int64
	suggests atomic.Int64
	mu       sync.Mutex
	last     bot.Request
}

func (c *countingBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	c.handled.Add(1)
	c.mu.Lock()
	c.last = req
	c.mu.Unlock()
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	return c.Answerer.Handle(ctx, req)
}

func (c *countingBot) Suggest(ctx context.Context, prefix string, limit int) []bot.TitleRef {
	c.suggests.Add(1)
	return c.Answerer.Suggest(ctx, prefix, limit)
}

// blockingBot's Handle waits until release is closed (or, with
// honoursCtx, until its context ends too), then answers. Each call is
// announced on entered first.
type blockingBot struct {
	Answerer
	honoursCtx bool
	entered    chan bot.Request
	release    chan struct{}
}

func newBlockingBot(b Answerer, honoursCtx bool) *blockingBot {
	return &blockingBot{Answerer: b, honoursCtx: honoursCtx, entered: make(chan bot.Request, 16), release: make(chan struct{})}
}

func (b *blockingBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	b.entered <- req
	if b.honoursCtx {
		select {
		case <-b.release:
		case <-ctx.Done():
		}
	} else {
		<-b.release
	}
	return b.Answerer.Handle(ctx, req)
}

func (c *countingBot) lastRequest() bot.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// recordingSender records deferred answers.
type recordingSender struct {
	mu    sync.Mutex
	edits []*discordgo.InteractionResponseData
	sent  chan struct{}
}

func newRecordingSender() *recordingSender { return &recordingSender{sent: make(chan struct{}, 16)} }

func (r *recordingSender) EditOriginal(_ context.Context, _, _ string, d *discordgo.InteractionResponseData) error {
	r.mu.Lock()
	r.edits = append(r.edits, d)
	r.mu.Unlock()
	r.sent <- struct{}{}
	return nil
}

func (r *recordingSender) edited() []*discordgo.InteractionResponseData {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.edits)
}

func newTestHandler(t testing.TB, b Answerer, s Sender) *Handler {
	t.Helper()
	if s == nil {
		s = newRecordingSender()
	}
	h, err := NewHandler(Config{Bot: b, Sender: s})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// testKey is a fixed key pair, so signed fixtures are reproducible.
func testKey() (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

// signedRequest is a POST signed as Discord signs interactions, now.
func signedRequest(priv ed25519.PrivateKey, body []byte) *http.Request {
	return signedAt(priv, body, strconv.FormatInt(time.Now().Unix(), 10))
}

// signedAt is a POST validly signed with the timestamp header ts.
func signedAt(priv ed25519.PrivateKey, body []byte, ts string) *http.Request {
	sig := ed25519.Sign(priv, append([]byte(ts), body...))
	r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(headerSignature, hex.EncodeToString(sig))
	r.Header.Set(headerTimestamp, ts)
	return r
}

// payload builds interaction JSON in Discord's shape.
func payload(t testing.TB, typ discordgo.InteractionType, data map[string]any, extra map[string]any) []byte {
	t.Helper()
	m := map[string]any{
		"id": "1200000000000000001", "application_id": "200000000000000002", "type": typ,
		"token": "aW50ZXJhY3Rpb24tdG9rZW4", "version": 1, "guild_id": "300000000000000003", "channel_id": "400000000000000004",
		"member": map[string]any{"user": map[string]any{"id": "500000000000000005", "username": "parent", "discriminator": "0"},
			"roles": []string{}, "joined_at": "2024-01-01T00:00:00.000000+00:00", "permissions": "2248473465835073"},
		"app_permissions": "2248473465835073", "locale": "en-GB", "guild_locale": "en-US",
	}
	if data != nil {
		m["data"] = data
	}
	for k, v := range extra {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func commandData(opts ...map[string]any) map[string]any {
	return map[string]any{"id": "600000000000000006", "name": CommandName, "type": 1, "options": opts}
}

func opt(name string, typ discordgo.ApplicationCommandOptionType, value any) map[string]any {
	return map[string]any{"name": name, "type": typ, "value": value}
}

func componentData(customID string, values ...string) map[string]any {
	d := map[string]any{"custom_id": customID, "component_type": discordgo.ButtonComponent}
	if len(values) > 0 {
		d["component_type"] = discordgo.SelectMenuComponent
		d["values"] = values
	}
	return d
}

// respView is an interaction response as the tests read it.
type respView struct {
	Type int `json:"type"`
	Data *struct {
		Content    string                    `json:"content"`
		Flags      int                       `json:"flags"`
		Embeds     []*discordgo.MessageEmbed `json:"embeds"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				CustomID string `json:"custom_id"`
				Label    string `json:"label"`
				Options  []struct {
					Label string `json:"label"`
					Value string `json:"value"`
				} `json:"options"`
			} `json:"components"`
		} `json:"components"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
		Choices []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"choices"`
	} `json:"data"`
}

func decodeResponse(t testing.TB, b []byte) respView {
	t.Helper()
	var r respView
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, b)
	}
	return r
}

// customIDs lists the custom_ids of a response's components.
func (r respView) customIDs() []string {
	var ids []string
	if r.Data == nil {
		return nil
	}
	for _, row := range r.Data.Components {
		for _, c := range row.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

// title is the first embed's title.
func (r respView) title() string {
	if r.Data == nil || len(r.Data.Embeds) == 0 {
		return ""
	}
	return r.Data.Embeds[0].Title
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), got, *update)
}

func hexKey(k []byte) string { return hex.EncodeToString(k) }
