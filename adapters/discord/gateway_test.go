package discord

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/bot"
)

// gatewayMessage is a MESSAGE_CREATE payload in Discord's shape.
func gatewayMessage(id, author string, isBot bool, guild, content string, mentions ...string) map[string]any {
	m := map[string]any{
		"id": id, "channel_id": "400000000000000004", "type": 0, "content": content,
		"timestamp": "2026-01-01T00:00:00.000000+00:00", "tts": false, "mention_everyone": false,
		"author":   map[string]any{"id": author, "username": "someone", "discriminator": "0", "bot": isBot},
		"mentions": []any{},
	}
	if guild != "" {
		m["guild_id"] = guild
	}
	var ms []any
	for _, u := range mentions {
		ms = append(ms, map[string]any{"id": u, "username": "advisory", "discriminator": "0", "bot": true})
	}
	if ms != nil {
		m["mentions"] = ms
	}
	return m
}

// gatewayRun is a Gateway running against a fake Discord.
type gatewayRun struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// wait returns when Run has returned, which must be for the cancellation.
func (r *gatewayRun) wait() {
	r.once.Do(func() {
		if err := <-r.done; !errors.Is(err, context.Canceled) {
			r.t.Errorf("Run: %v", err)
		}
	})
}

// stop ends Run and waits for it.
func (r *gatewayRun) stop() {
	r.cancel()
	r.wait()
}

// startGateway runs a Gateway for cfg (its Sender is the session) against
// fake, and stops it when the test ends.
func startGateway(t *testing.T, fake *discordtest.Server, cfg Config, shard, shards int) *gatewayRun {
	t.Helper()
	UseAPIBase(fake.URL)
	s, err := NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Sender = SessionSender{S: s}
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGateway(GatewayConfig{Session: s, Handler: h, Bot: cfg.Bot, ShardID: shard, ShardCount: shards})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &gatewayRun{t: t, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- g.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

// isReply matches the message sent in reply to message id.
func isReply(id string) func(discordtest.Request) bool {
	return func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.HasSuffix(r.Path, "/channels/400000000000000004/messages") &&
			strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
	}
}

// isCallback matches the callback (first response) to an interaction.
func isCallback(r discordtest.Request) bool { return strings.HasSuffix(r.Path, "/callback") }

func countRequests(fake *discordtest.Server, match func(discordtest.Request) bool) int {
	n := 0
	for _, r := range fake.Requests() {
		if match(r) {
			n++
		}
	}
	return n
}

func TestGateway(t *testing.T) {
	fake := discordtest.New(t)
	cb := &countingBot{Answerer: fixtureBot(t)}
	run := startGateway(t, fake, Config{Bot: cb}, 1, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := fake.WaitIdentify(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
		Shard   [2]int `json:"shard"`
	}
	if err := json.Unmarshal(raw, &id); err != nil {
		t.Fatal(err)
	}
	if id.Token != "Bot test-token" || id.Intents != int(Intents) || id.Shard != [2]int{1, 2} {
		t.Errorf("identify %+v", id)
	}

	const guild = "300000000000000003"
	isMessage := func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.HasSuffix(r.Path, "/channels/400000000000000004/messages")
	}
	// Ignored: the bot itself, other bots, guild messages that do not mention it.
	ignored := []map[string]any{
		gatewayMessage("701", fake.BotID, true, guild, "<@"+fake.BotID+"> Ballerina 2023", fake.BotID),
		gatewayMessage("702", "900000000000000009", true, guild, "<@"+fake.BotID+"> Ballerina 2023", fake.BotID),
		gatewayMessage("703", "500000000000000005", false, guild, "is Ballerina 2023 family-safe?"),
	}
	for _, m := range ignored {
		if err := fake.Dispatch("MESSAGE_CREATE", m); err != nil {
			t.Fatal(err)
		}
	}
	// A DM is answered without a mention.
	if err := fake.Dispatch("MESSAGE_CREATE", gatewayMessage("704", "500000000000000005", false, "", "is Ballerina 2016 family-safe?")); err != nil {
		t.Fatal(err)
	}
	r, _, err := fake.WaitRequest(ctx, 0, isMessage)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Embeds []struct {
			Title string `json:"title"`
		} `json:"embeds"`
		Reference struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := r.JSON(&sent); err != nil {
		t.Fatal(err)
	}
	if sent.Reference.MessageID != "704" || len(sent.Embeds) == 0 || sent.Embeds[0].Title != "Ballerina (2016) · film · PG" {
		t.Errorf("DM reply %s", r.Body)
	}
	if sent.AllowedMentions == nil || sent.AllowedMentions.Parse == nil || len(sent.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions in %s", r.Body)
	}
	if got := r.Header.Get("Authorization"); got != "Bot test-token" {
		t.Errorf("authorization %q", got)
	}
	// Handlers run concurrently; once Run has returned, every event read
	// before the DM (the ignored messages) has been handled.
	run.stop()
	if posts := countRequests(fake, isMessage); posts != 1 || cb.handled.Load() != 1 {
		t.Errorf("%d messages sent and %d asked, want 1 and 1: bots and unmentioned messages must be ignored", countRequests(fake, isMessage), cb.handled.Load())
	}
}

// TestGatewayDeferral: a slow answer is deferred over the callback
// endpoint, then sent by editing the original response.
func TestGatewayDeferral(t *testing.T) {
	fake := discordtest.New(t)
	bb := newBlockingBot(fixtureBot(t), false)
	startGateway(t, fake, Config{Bot: bb, Budget: time.Millisecond}, 0, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitIdentify(ctx, 1); err != nil {
		t.Fatal(err)
	}
	dispatchJSON(t, fake, "INTERACTION_CREATE", payload(t, 2, commandData(opt("title", 3, "Ballerina 2023")), nil))
	cbReq, n, err := fake.WaitRequest(ctx, 0, isCallback)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":5,"data":{"flags":64}}`; string(cbReq.Body) != want {
		t.Errorf("callback %s, want %s", cbReq.Body, want)
	}
	close(bb.release)
	edit, _, err := fake.WaitRequest(ctx, n+1, func(r discordtest.Request) bool { return r.Method == "PATCH" })
	if err != nil {
		t.Fatal(err)
	}
	if want := "/api/v9/webhooks/200000000000000002/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original"; edit.Path != want {
		t.Errorf("edit path %s, want %s", edit.Path, want)
	}
	if !strings.Contains(string(edit.Body), `"title":"Ballerina (2023) · film · TV-MA"`) || !strings.Contains(string(edit.Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("edit body %s", edit.Body)
	}
}

// TestGatewayAnswerTimeout: a deferred interaction whose answer takes
// longer than AnswerTimeout is edited, through Discord's API, to tell the
// user; the answer that comes later is dropped.
func TestGatewayAnswerTimeout(t *testing.T) {
	fake := discordtest.New(t)
	bb := newBlockingBot(fixtureBot(t), false)
	run := startGateway(t, fake, Config{Bot: bb, Budget: time.Millisecond, AnswerTimeout: 50 * time.Millisecond}, 0, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitIdentify(ctx, 1); err != nil {
		t.Fatal(err)
	}
	dispatchJSON(t, fake, "INTERACTION_CREATE", payload(t, 2, commandData(opt("title", 3, "Ballerina 2023")), nil))
	isEdit := func(r discordtest.Request) bool { return r.Method == "PATCH" }
	edit, _, err := fake.WaitRequest(ctx, 0, isEdit)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(edit.Body), `"title":"Sorry, that took too long to answer."`) || !strings.Contains(string(edit.Body), "Please try again") {
		t.Errorf("edit %s, want it to say the answer took too long", edit.Body)
	}
	close(bb.release)
	run.stop()
	if n := countRequests(fake, isEdit); n != 1 {
		t.Errorf("%d edits, want 1: the late answer must be dropped", n)
	}
	if n := countRequests(fake, isCallback); n != 1 {
		t.Errorf("%d callbacks, want the one deferral", n)
	}
}

// TestGatewayShutdownInFlight: an event being answered when shutdown begins
// is answered, and Run returns only after that.
func TestGatewayShutdownInFlight(t *testing.T) {
	tests := []struct {
		name   string
		event  string
		data   func(t *testing.T, fake *discordtest.Server) []byte
		answer func(discordtest.Request) bool
	}{
		{"mention", "MESSAGE_CREATE", func(t *testing.T, fake *discordtest.Server) []byte {
			return mustJSONBytes(t, gatewayMessage("705", "500000000000000005", false, "300000000000000003", "<@"+fake.BotID+"> Ballerina 2023", fake.BotID))
		}, isReply("705")},
		{"slash command", "INTERACTION_CREATE", func(t *testing.T, _ *discordtest.Server) []byte {
			return payload(t, 2, commandData(opt("title", 3, "Ballerina 2023")), nil)
		}, isCallback},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t)
			bb := newBlockingBot(fixtureBot(t), false)
			run := startGateway(t, fake, Config{Bot: bb, Budget: time.Minute, AnswerTimeout: 2 * time.Minute}, 0, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := fake.WaitIdentify(ctx, 1); err != nil {
				t.Fatal(err)
			}
			dispatchJSON(t, fake, tc.event, tc.data(t, fake))
			<-bb.entered
			run.cancel() // shutdown begins while the bot is working
			close(bb.release)
			run.wait()
			if n := countRequests(fake, tc.answer); n != 1 {
				t.Errorf("when Run returned, %d answers had been sent, want 1", n)
			}
		})
	}
}

// TestGatewayPanic: a panic while answering one event is logged; the
// process lives and the next event is answered.
func TestGatewayPanic(t *testing.T) {
	fake := discordtest.New(t)
	run := startGateway(t, fake, Config{Bot: panickyBot{fixtureBot(t)}}, 0, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitIdentify(ctx, 1); err != nil {
		t.Fatal(err)
	}
	dispatchJSON(t, fake, "MESSAGE_CREATE", mustJSONBytes(t, gatewayMessage("706", "500000000000000005", false, "", "boom")))
	dispatchJSON(t, fake, "MESSAGE_CREATE", mustJSONBytes(t, gatewayMessage("707", "500000000000000005", false, "", "Ballerina 2023")))
	if _, _, err := fake.WaitRequest(ctx, 0, isReply("707")); err != nil {
		t.Fatal(err)
	}
	run.stop()
	if n := countRequests(fake, isReply("706")); n != 0 {
		t.Errorf("%d replies to the message that panicked", n)
	}
}

// panickyBot panics on "boom".
type panickyBot struct{ Answerer }

func (p panickyBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	if req.Text == "boom" {
		panic("boom")
	}
	return p.Answerer.Handle(ctx, req)
}

// dispatchJSON sends an event whose data is JSON.
func dispatchJSON(t *testing.T, fake *discordtest.Server, event string, data []byte) {
	t.Helper()
	if err := fake.Dispatch(event, json.RawMessage(data)); err != nil {
		t.Fatal(err)
	}
}

func mustJSONBytes(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewGatewayShards(t *testing.T) {
	s, err := NewSession("x")
	if err != nil {
		t.Fatal(err)
	}
	h := newTestHandler(t, fixtureBot(t), nil)
	for _, sh := range [][2]int{{-1, 2}, {2, 2}, {0, -1}, {3, 1}} {
		if _, err := NewGateway(GatewayConfig{Session: s, Handler: h, Bot: fixtureBot(t), ShardID: sh[0], ShardCount: sh[1]}); err == nil {
			t.Errorf("shard %v accepted", sh)
		}
	}
}

func TestUseAPIBase(t *testing.T) {
	const base = "http://127.0.0.1:9/"
	UseAPIBase(strings.TrimSuffix(base, "/"))
	t.Cleanup(func() { UseAPIBase("https://discord.com/") })
	for name, got := range map[string]string{
		"API":              discordgo.EndpointAPI,
		"Gateway":          discordgo.EndpointGateway,
		"GatewayBot":       discordgo.EndpointGatewayBot,
		"ChannelMessages":  discordgo.EndpointChannelMessages("1"),
		"Callback":         discordgo.EndpointInteractionResponse("1", "t"),
		"WebhookMessage":   discordgo.EndpointInteractionResponseActions("2", "t"),
		"GuildCommands":    discordgo.EndpointApplicationGuildCommands("2", "3"),
		"GlobalCommands":   discordgo.EndpointApplicationGlobalCommands("2"),
		"OAuth2App":        discordgo.EndpointOAuth2Application("@me"),
		"Users":            discordgo.EndpointUser("@me"),
		"Guild":            discordgo.EndpointGuild("3"),
		"Applications":     discordgo.EndpointApplications,
		"StageInstances":   discordgo.EndpointStageInstances,
		"Oauth2Deprecated": discordgo.EndpointOauth2Applications,
	} {
		if !strings.HasPrefix(got, base+"api/v9/") {
			t.Errorf("%s = %s, want it under %s", name, got, base)
		}
	}
}

// TestGatewayUnreachable: a gateway that cannot be reached is an error
// from Run, not a hang.
func TestGatewayUnreachable(t *testing.T) {
	fake := discordtest.New(t)
	UseAPIBase(fake.URL)
	fake.Close() // nothing listens any more
	s, err := NewSession("x")
	if err != nil {
		t.Fatal(err)
	}
	s.MaxRestRetries = 0
	b := fixtureBot(t)
	g, err := NewGateway(GatewayConfig{Session: s, Handler: newTestHandler(t, b, nil), Bot: b})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.Run(ctx); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run = %v, want a connection error", err)
	}
}
