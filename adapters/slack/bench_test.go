package slack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// BenchmarkSlashCommand is the full slash-command path (verify, decode,
// bot, render, write) in process. Every iteration is a new delivery, signed
// afresh with its own trigger_id, as Slack sends them: a replayed one would
// be answered as a duplicate, which costs next to nothing. The HTTP figures
// on loopback are in docs/BENCHMARKS.md.
func BenchmarkSlashCommand(b *testing.B) {
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		b.Fatal(err)
	}
	st := memory.New()
	bt := bot.New(bot.Config{Catalog: live, Gate: st, Settings: st,
		Limits: bot.Limits{UserPerMinute: 1 << 30, CommunityPerMinute: 1 << 30}})
	a, err := slackadapter.New(slackadapter.Config{Bot: bt, SigningSecret: secret})
	if err != nil {
		b.Fatal(err)
	}
	// The adapter alone: the bot's answer computed once.
	canned, err := slackadapter.New(slackadapter.Config{Bot: cannedBot(bt.Handle(context.Background(), bot.Request{Text: "Ballerina 2023"})), SigningSecret: secret})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		h    http.Handler
		text string
	}{
		{"full/found", a.Commands(), "Ballerina 2023"},
		{"full/ambiguous", a.Commands(), "Ballerina"},
		{"full/family_check", a.Commands(), "is Ballerina 2023 ok for my 10 year old"},
		{"adapter_only/found", canned.Commands(), "Ballerina 2023"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ts := now()
			rec := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				body := commandBody(bc.text, "https://hooks.slack.com/commands/T1/1/x")
				req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
				req.Header.Set("Content-Type", formType)
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sign(ts, body))
				rec.code = 0
				bc.h.ServeHTTP(rec, req)
				if rec.code != 0 && rec.code != http.StatusOK {
					b.Fatalf("status %d", rec.code)
				}
			}
		})
	}
}

// cannedBot always gives the same answer.
type cannedBot bot.Reply

func (c cannedBot) Handle(context.Context, bot.Request) bot.Reply { return bot.Reply(c) }

type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkDecodeCommand is the slash-command form decoder alone.
func BenchmarkDecodeCommand(b *testing.B) {
	body := []byte(commandBody("is Ballerina 2023 ok for my 10 year old", "https://hooks.slack.com/commands/T1/1/x"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := slackadapter.DecodeCommand(body); err != nil {
			b.Fatal(err)
		}
	}
}
