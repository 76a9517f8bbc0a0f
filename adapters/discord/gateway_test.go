package discord

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/adapters/discord/discordtest"
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

func startGateway(t *testing.T, fake *discordtest.Server, b Answerer, budget time.Duration, shard, shards int) {
	t.Helper()
	UseAPIBase(fake.URL)
	s, err := NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{Bot: b, Sender: SessionSender{S: s}, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGateway(GatewayConfig{Session: s, Handler: h, Bot: b, ShardID: shard, ShardCount: shards})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	})
}

func TestGateway(t *testing.T) {
	fake := discordtest.New(t)
	cb := &countingBot{Answerer: fixtureBot(t), delay: 0}
	startGateway(t, fake, cb, 0, 1, 2)
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
	// Handlers run concurrently: give the ignored messages time to (not) arrive.
	time.Sleep(200 * time.Millisecond)
	var posts int
	for _, r := range fake.Requests() {
		if isMessage(r) {
			posts++
		}
	}
	if posts != 1 || cb.handled.Load() != 1 {
		t.Errorf("%d messages sent and %d asked, want 1 and 1: bots and unmentioned messages must be ignored", posts, cb.handled.Load())
	}
}

// TestGatewayDeferral: a slow answer is deferred over the callback
// endpoint, then sent by editing the original response.
func TestGatewayDeferral(t *testing.T) {
	fake := discordtest.New(t)
	cb := &countingBot{Answerer: fixtureBot(t), delay: 300 * time.Millisecond}
	startGateway(t, fake, cb, 20*time.Millisecond, 0, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitIdentify(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var i map[string]any
	if err := json.Unmarshal(payload(t, 2, commandData(opt("title", 3, "Ballerina 2023")), nil), &i); err != nil {
		t.Fatal(err)
	}
	if err := fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	cbReq, n, err := fake.WaitRequest(ctx, 0, func(r discordtest.Request) bool { return strings.HasSuffix(r.Path, "/callback") })
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":5,"data":{"flags":64}}`; string(cbReq.Body) != want {
		t.Errorf("callback %s, want %s", cbReq.Body, want)
	}
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
