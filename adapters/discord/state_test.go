package discord

import (
	"context"
	"errors"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/bot"
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
}
