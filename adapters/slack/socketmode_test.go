package slack_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
)

// TestSocketModeConnected: SocketModeConnected is false before the
// connection opens, true once it has, false again when it is lost and
// after RunSocketMode returns.
func TestSocketModeConnected(t *testing.T) {
	sm := slacktestws.NewSocketMode()
	api := slacktestws.NewWebAPI(sm)
	t.Cleanup(api.Stop)
	a, err := slackadapter.New(slackadapter.Config{Bot: newBot(t), BotToken: "xoxb-test", AppToken: "xapp-1-A0FAKE-1-test",
		APIURL: api.GetAPIURL(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if a.SocketModeConnected() {
		t.Fatal("connected before RunSocketMode")
	}
	stop := runAdapter(t, a)
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocketMode(ctx) }()

	wait := func(want bool, what string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); a.SocketModeConnected() != want; {
			if time.Now().After(deadline) {
				t.Fatalf("SocketModeConnected() still %v %s", !want, what)
			}
			time.Sleep(5 * time.Millisecond) // the connection is a real websocket
		}
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := sm.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	wait(true, "after the connection opened")
	sm.Close() // the connection drops and no reconnection succeeds
	wait(false, "after the connection was lost")
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("RunSocketMode = %v", err)
	}
	if a.SocketModeConnected() {
		t.Error("connected after RunSocketMode returned")
	}
}
