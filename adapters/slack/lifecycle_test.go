package slack_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
)

// gateBot holds every request until released, and says when one arrives.
type gateBot struct {
	next    slackadapter.Answerer
	arrived chan bot.Request
	release chan struct{}
}

func newGateBot(next slackadapter.Answerer) *gateBot {
	return &gateBot{next: next, arrived: make(chan bot.Request, 64), release: make(chan struct{})}
}

func (g *gateBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	g.arrived <- req
	<-g.release
	return g.next.Handle(ctx, req)
}

// slowBot answers after a delay, like a bot whose shared store struggles;
// for synctest bubbles, where the delay is on the fake clock.
type slowBot struct {
	next  slackadapter.Answerer
	delay time.Duration
}

func (s slowBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	time.Sleep(s.delay)
	return s.next.Handle(ctx, req)
}

// stuckBot never answers before its context ends.
type stuckBot struct{}

func (stuckBot) Handle(ctx context.Context, _ bot.Request) bot.Reply {
	<-ctx.Done()
	return bot.Reply{Status: bot.StatusError, Text: "cancelled", Error: &bot.Problem{Message: "cancelled"}}
}

// panicBot panics on questions containing "boom".
type panicBot struct{ next slackadapter.Answerer }

func (p panicBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	if strings.Contains(req.Text, "boom") {
		panic("boom")
	}
	return p.next.Handle(ctx, req)
}

// inBubble runs an adapter on b inside a synctest bubble, against Slack in
// memory; run starts Run and returns a function that ends it and waits.
func inBubble(t *testing.T, b slackadapter.Answerer, cfg slackadapter.Config) (*slackadapter.Adapter, *memSlack, func() (stop func() error)) {
	t.Helper()
	fake := &memSlack{}
	cfg.Bot, cfg.API, cfg.HTTPClient, cfg.SigningSecret = b, fake, fake.Client(), secret
	a, err := slackadapter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	run := func() func() error {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		return func() error {
			cancel()
			return <-done
		}
	}
	return a, fake, run
}

func postEvent(t *testing.T, a *slackadapter.Adapter, eventID, text string) {
	t.Helper()
	rec := httptest.NewRecorder()
	a.Events().ServeHTTP(rec, signed("/slack/events", "application/json", mentionBody(eventID, "<@UBOT> "+text, "1700000000."+eventID, "")))
	if rec.Code != http.StatusOK {
		t.Fatalf("event %s: status %d", eventID, rec.Code)
	}
}

// TestShutdownAnswersAcknowledgedEvents: events acked with 200 and still
// queued when the shutdown starts are answered before Run returns.
func TestShutdownAnswersAcknowledgedEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := newGateBot(newBot(t))
		a, fake, run := inBubble(t, gate, slackadapter.Config{Workers: 1})
		stop := run()
		for i := range 3 {
			postEvent(t, a, fmt.Sprintf("Ev%d", i), "Ballerina 2023")
		}
		<-gate.arrived // the one worker holds the first; two are queued
		stopped := make(chan error, 1)
		go func() { stopped <- stop() }()
		synctest.Wait()
		select {
		case err := <-stopped:
			t.Fatalf("Run returned (%v) with acknowledged events unanswered", err)
		default:
		}
		close(gate.release)
		if err := <-stopped; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		if n := len(fake.Calls()); n != 3 {
			t.Errorf("%d of 3 acknowledged events answered by the end of the shutdown", n)
		}
		// After the shutdown nothing is acknowledged: Slack delivers it again.
		rec := httptest.NewRecorder()
		a.Events().ServeHTTP(rec, signed("/slack/events", "application/json", mentionBody("Ev9", "<@UBOT> Frozen", "1.9", "")))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("event after shutdown: status %d, want 503", rec.Code)
		}
	})
}

// TestShutdownDrainIsBounded: acknowledged work that outlasts DrainTimeout
// is cancelled, and Run returns.
func TestShutdownDrainIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := &countingBot{next: stuckBot{}}
		a, _, run := inBubble(t, cb, slackadapter.Config{Workers: 1, DrainTimeout: 5 * time.Second, WorkTimeout: time.Hour})
		stop := run()
		postEvent(t, a, "Ev1", "Ballerina 2023")
		postEvent(t, a, "Ev2", "Frozen")
		start := time.Now()
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Run returned %v after the shutdown began, want the drain timeout, 5s", d)
		}
		if n := cb.n.Load(); n != 1 {
			t.Errorf("the bot was asked %d times, want once: the queued event is dropped once the drain is over", n)
		}
	})
}

// TestWorkerPanic: a panic answering one event is logged and the worker
// goes on to the next; the process does not end.
func TestWorkerPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake, run := inBubble(t, panicBot{newBot(t)}, slackadapter.Config{Workers: 1})
		stop := run()
		postEvent(t, a, "Ev1", "boom")
		postEvent(t, a, "Ev2", "Ballerina 2023")
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		calls := fake.Calls()
		if len(calls) != 1 || !strings.Contains(calls[0].Text(), "Ballerina (2023)") {
			t.Errorf("calls %+v, want the second event answered", calls)
		}
	})
}

// serveCommand posts a signed slash command from a goroutine; the returned
// channel closes when the handler returns.
func serveCommand(a *slackadapter.Adapter, rec *httptest.ResponseRecorder, text string) <-chan struct{} {
	served := make(chan struct{})
	req := signed("/slack/commands", formType, commandBody(text, "https://hooks.slack.com/commands/T1/1/x"))
	go func() {
		defer close(served)
		a.Commands().ServeHTTP(rec, req)
	}()
	return served
}

// TestSlowCommand: a slash command the bot answers after the ack budget is
// acked empty within it, and answered through response_url; events are
// acked at once whatever the bot's speed.
func TestSlowCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake, run := inBubble(t, slowBot{newBot(t), 5 * time.Second}, slackadapter.Config{})
		stop := run()
		defer stop()
		rec := httptest.NewRecorder()
		served := serveCommand(a, rec, "Ballerina 2023")
		time.Sleep(2500 * time.Millisecond)
		synctest.Wait()
		if rec.Code != http.StatusOK || !rec.Flushed || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != "0" {
			t.Fatalf("after the ack budget: status %d, flushed %v, body %q", rec.Code, rec.Flushed, rec.Body)
		}
		<-served
		calls := fake.Calls()
		if len(calls) != 1 || calls[0].Method != "response_url" || calls[0].JSON["response_type"] != "ephemeral" ||
			!strings.HasPrefix(calls[0].Text(), "Ballerina (2023) · film · TV-MA") {
			t.Errorf("late answer %+v", calls)
		}

		start := time.Now()
		postEvent(t, a, "EvSlow", "Ballerina 2023")
		if d := time.Since(start); d != 0 {
			t.Errorf("event acked after %v, want at once", d)
		}
	})
}

// TestFastCommandNoLateAnswer: an answer within the budget goes in the
// response only; the watchdog does nothing when it would have fired.
func TestFastCommandNoLateAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake, run := inBubble(t, slowBot{newBot(t), 2 * time.Second}, slackadapter.Config{})
		stop := run()
		rec := httptest.NewRecorder()
		<-serveCommand(a, rec, "Ballerina 2023")
		time.Sleep(time.Minute)
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"response_type":"ephemeral"`) {
			t.Errorf("answer %d %q", rec.Code, rec.Body)
		}
		if calls := fake.Calls(); len(calls) != 0 {
			t.Errorf("also sent %+v", calls)
		}
	})
}

// TestSlowCommandTooLong: a slash command the bot has not answered within
// WorkTimeout gets "that took too long" through response_url.
func TestSlowCommandTooLong(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake, run := inBubble(t, stuckBot{}, slackadapter.Config{WorkTimeout: 30 * time.Second})
		stop := run()
		defer stop()
		start := time.Now()
		rec := httptest.NewRecorder()
		<-serveCommand(a, rec, "Ballerina 2023")
		if d := time.Since(start); d != 30*time.Second {
			t.Errorf("the work ended after %v, want WorkTimeout", d)
		}
		calls := fake.Calls()
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 || len(calls) != 1 || !strings.Contains(calls[0].Text(), "took too long") ||
			calls[0].URL != "https://hooks.slack.com/commands/T1/1/x" {
			t.Errorf("ack %d %q, then %+v", rec.Code, rec.Body, calls)
		}
	})
}

// TestShutdownWaitsForLateCommand: a slash command acked before the
// shutdown is answered before Run returns.
func TestShutdownWaitsForLateCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake, run := inBubble(t, slowBot{newBot(t), 8 * time.Second}, slackadapter.Config{})
		stop := run()
		rec := httptest.NewRecorder()
		served := serveCommand(a, rec, "Ballerina 2023")
		time.Sleep(3 * time.Second) // acked, still working
		synctest.Wait()
		if !rec.Flushed {
			t.Fatal("not acked within the budget")
		}
		stopped := make(chan error, 1)
		go func() { stopped <- stop() }()
		synctest.Wait()
		select {
		case err := <-stopped:
			t.Fatalf("Run returned (%v) while an acknowledged slash command was being answered", err)
		default:
		}
		if err := <-stopped; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		if calls := fake.Calls(); len(calls) != 1 || !strings.HasPrefix(calls[0].Text(), "Ballerina (2023) · film · TV-MA") {
			t.Errorf("by the end of Run: %+v", calls)
		}
		<-served
	})
}

// TestCommandPanic: a slash command whose bot panics, before the ack or
// after it (the HTTP server recovers the handler's panic), does not hold up
// the shutdown.
func TestCommandPanic(t *testing.T) {
	for name, b := range map[string]func(*testing.T) slackadapter.Answerer{
		"before the ack": func(t *testing.T) slackadapter.Answerer { return panicBot{newBot(t)} },
		"after the ack":  func(t *testing.T) slackadapter.Answerer { return slowBot{panicBot{newBot(t)}, 3 * time.Second} },
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, _, run := inBubble(t, b(t), slackadapter.Config{})
				stop := run()
				rec := httptest.NewRecorder()
				req := signed("/slack/commands", formType, commandBody("boom", "https://hooks.slack.com/commands/T1/1/x"))
				go func() {
					defer func() { _ = recover() }() // as net/http does
					a.Commands().ServeHTTP(rec, req)
				}()
				time.Sleep(5 * time.Second)
				start := time.Now()
				if err := stop(); !errors.Is(err, context.Canceled) {
					t.Errorf("Run: %v", err)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("the shutdown waited %v for a command that had panicked", d)
				}
			})
		})
	}
}
