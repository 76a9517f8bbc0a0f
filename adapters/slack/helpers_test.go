package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// newBot is the real bot on the test reviews with in-memory shared state.
func newBot(tb testing.TB) *bot.Bot {
	tb.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		tb.Fatal(err)
	}
	st := memory.New()
	return bot.New(bot.Config{Catalog: live, Conversations: st, Deduper: st, Settings: st})
}

// countingBot counts the requests that reach the bot.
type countingBot struct {
	next slackadapter.Answerer
	n    atomic.Int64
	last atomic.Pointer[bot.Request]
}

func (c *countingBot) Handle(ctx context.Context, req bot.Request) bot.Reply {
	c.n.Add(1)
	c.last.Store(&req)
	return c.next.Handle(ctx, req)
}

// sign returns Slack's v0 signature of body at ts.
func sign(ts, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func now() string { return strconv.FormatInt(time.Now().Unix(), 10) }

// signed builds a request signed as Slack would.
func signed(path, contentType, body string) *http.Request {
	ts := now()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", sign(ts, body))
	return r
}

const formType = "application/x-www-form-urlencoded"

// harness is an adapter on the real bot, talking to a fake Slack.
type harness struct {
	bot *countingBot
	a   *slackadapter.Adapter
	api *slacktestws.WebAPI
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	api := slacktestws.NewWebAPI(nil)
	t.Cleanup(api.Stop)
	cb := &countingBot{next: newBot(t)}
	client := slack.New("xoxb-test", slack.OptionAPIURL(api.GetAPIURL()))
	a, err := slackadapter.New(slackadapter.Config{Bot: cb, API: client, SigningSecret: secret,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = a.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &harness{bot: cb, a: a, api: api}
}

func ctxTimeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
