package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/bot"
	"advisorybot/internal/goroutines"
)

// silentBot answers nothing; Connected needs no answers.
type silentBot struct{}

func (silentBot) Handle(context.Context, bot.Request) bot.Reply       { return bot.Reply{} }
func (silentBot) Suggest(context.Context, string, int) []bot.TitleRef { return nil }

// TestGatewayConnected: Connected is false before Run connects, true once
// the gateway is open, false when the connection is lost, and false after
// Run returns.
func TestGatewayConnected(t *testing.T) {
	fake := discordtest.New(t)
	UseAPIBase(fake.URL)
	s, err := NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{Bot: silentBot{}, Sender: SessionSender{S: s}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGateway(GatewayConfig{Session: s, Handler: h, Bot: silentBot{}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Connected() {
		t.Fatal("connected before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	wait := func(want bool, what string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); g.Connected() != want; {
			if time.Now().After(deadline) {
				t.Fatalf("Connected() still %v %s", !want, what)
			}
			time.Sleep(5 * time.Millisecond) // the gateway is a real websocket
		}
	}
	wait(true, "after Run connected")
	fake.Close() // the connection drops; reconnecting fails
	wait(false, "after the connection was lost")
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("Run: %v", err) // closing an already lost connection may fail
	}
	if g.Connected() {
		t.Error("connected after Run returned")
	}
	// Run owns reconnecting: once it has returned, nothing of the session
	// keeps dialing Discord. The goroutine that noticed the loss may still
	// be returning, so it gets a moment.
	if n := goroutines.Settle("discordgo.(*Session).reconnect(", 0, 3*time.Second); n > 0 {
		t.Fatalf("%d goroutines still reconnecting after Run returned", n)
	}
}

// TestGatewayResumes: a connection lost to the network, or closed because
// Discord asked (op 7), is resumed, and events flow again.
func TestGatewayResumes(t *testing.T) {
	for _, tc := range []struct {
		name string
		lose func(*discordtest.Server) error
	}{
		{"connection dropped", (*discordtest.Server).Drop},
		{"Discord asks to reconnect", (*discordtest.Server).AskReconnect},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t)
			run := startGateway(t, fake, Config{Bot: fixtureBot(t)}, 0, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if _, err := fake.WaitIdentify(ctx, 1); err != nil {
				t.Fatal(err)
			}
			for n := 1; n <= 2; n++ { // and again, once resumed
				if err := tc.lose(fake); err != nil {
					t.Fatal(err)
				}
				if err := fake.WaitResume(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			id := "710"
			if err := fake.Dispatch("MESSAGE_CREATE", gatewayMessage(id, "500000000000000005", false, "", "is Ballerina 2016 family-safe?")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := fake.WaitRequest(ctx, 0, func(r discordtest.Request) bool {
				return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
			}); err != nil {
				t.Fatalf("no answer after resuming: %v", err)
			}
			run.stop()
		})
	}
}
