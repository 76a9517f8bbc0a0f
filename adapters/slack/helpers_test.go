package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
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
	tb.Helper()
	st := memory.New()
	return bot.New(bot.Config{Catalog: testCatalog(tb), Gate: st, Settings: st})
}

func testCatalog(tb testing.TB) *catalog.Live {
	tb.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		tb.Fatal(err)
	}
	return live
}

// state is what the bot keeps in shared state; *memory.Store is one.
type state interface {
	bot.Gate
	bot.Settings
}

// newBotWith is the real bot on the test reviews with st as its shared
// state, rate limits included.
func newBotWith(tb testing.TB, st state) *bot.Bot {
	tb.Helper()
	return bot.New(bot.Config{Catalog: testCatalog(tb), Gate: st, Settings: st})
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

// signed builds a request signed as Slack would, now.
func signed(path, contentType, body string) *http.Request {
	return signedAt(now(), path, contentType, body)
}

// signedAt builds a request signed as Slack would at ts.
func signedAt(ts, path, contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", sign(ts, body))
	return r
}

const formType = "application/x-www-form-urlencoded"

func commandBody(text, responseURL string) string {
	return commandBodyWithTrigger(text, responseURL, "13345224609.738474920."+strconv.FormatInt(triggers.Add(1), 16))
}

// triggers makes trigger_ids unique: each command is a new delivery.
var triggers atomic.Int64

func commandBodyWithTrigger(text, responseURL, triggerID string) string {
	return url.Values{
		"token": {"legacy"}, "team_id": {"T1"}, "team_domain": {"family"}, "channel_id": {"C1"}, "channel_name": {"general"},
		"user_id": {"U1"}, "user_name": {"parent"}, "command": {"/advisory"}, "text": {text},
		"api_app_id": {"A1"}, "response_url": {responseURL}, "trigger_id": {triggerID},
	}.Encode()
}

func mentionBody(eventID, text, ts, threadTS string) string {
	ev := map[string]any{"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	b, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": ev})
	return string(b)
}

func clickBody(actionID, value, responseURL string, ephemeral bool) string {
	return clickBodyWithTrigger(actionID, value, responseURL, ephemeral, "1.2."+strconv.FormatInt(triggers.Add(1), 16))
}

func clickBodyWithTrigger(actionID, value, responseURL string, ephemeral bool, triggerID string) string {
	p, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1", "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"api_app_id": "A1", "response_url": responseURL, "trigger_id": triggerID,
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000200", "channel_id": "C1", "is_ephemeral": ephemeral},
		"channel":   map[string]any{"id": "C1"},
		"actions":   []map[string]any{{"type": "button", "action_id": actionID, "block_id": "pick", "value": value, "action_ts": "1700000001.1"}},
	})
	return url.Values{"payload": {string(p)}}.Encode()
}

// harness is an adapter on the real bot, talking to a fake Slack.
type harness struct {
	bot  *countingBot
	a    *slackadapter.Adapter
	api  *slacktestws.WebAPI
	stop func() // ends Run and waits for it: every acknowledged job is done
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessFor(t, newBot(t), slackadapter.Config{})
}

// newHarnessFor runs an adapter on b with cfg, against a fake Web API.
func newHarnessFor(t *testing.T, b slackadapter.Answerer, cfg slackadapter.Config) *harness {
	t.Helper()
	api := slacktestws.NewWebAPI(nil)
	t.Cleanup(api.Stop)
	cb := &countingBot{next: b}
	cfg.Bot, cfg.BotToken, cfg.APIURL, cfg.SigningSecret = cb, "xoxb-test", api.GetAPIURL(), secret
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a, err := slackadapter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{bot: cb, a: a, api: api, stop: runAdapter(t, a)}
}

// runAdapter runs a.Run until the returned stop is called (or the test
// ends); stop returns once Run has.
func runAdapter(t *testing.T, a *slackadapter.Adapter) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func ctxTimeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// memSlack is Slack in memory, for tests in a synctest bubble, where
// nothing may wait on a real socket: it is the adapter's Web API and, as
// its HTTP client's transport, the response_url endpoint.
type memSlack struct {
	mu    sync.Mutex
	calls []memCall
}

type memCall struct {
	Method string // chat.postMessage, chat.update or response_url
	URL    string // the response_url
	Form   url.Values
	JSON   map[string]any
}

// Text is the call's notification text.
func (c memCall) Text() string {
	if c.Form != nil {
		return c.Form.Get("text")
	}
	s, _ := c.JSON["text"].(string)
	return s
}

func (m *memSlack) record(c memCall) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, c)
}

func (m *memSlack) Calls() []memCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]memCall(nil), m.calls...)
}

func (m *memSlack) PostMessageContext(_ context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	_, form, err := slack.UnsafeApplyMsgOptions("xoxb-test", channel, "https://slack.invalid/api/", opts...)
	if err != nil {
		return "", "", err
	}
	m.record(memCall{Method: "chat.postMessage", Form: form})
	return channel, "1700000000.000900", nil
}

func (m *memSlack) UpdateMessageContext(_ context.Context, channel, ts string, opts ...slack.MsgOption) (string, string, string, error) {
	_, form, err := slack.UnsafeApplyMsgOptions("xoxb-test", channel, "https://slack.invalid/api/", opts...)
	if err != nil {
		return "", "", "", err
	}
	form.Set("ts", ts)
	m.record(memCall{Method: "chat.update", Form: form})
	return channel, ts, "", nil
}

func (m *memSlack) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	c := memCall{Method: "response_url", URL: r.URL.String()}
	if err := json.Unmarshal(body, &c.JSON); err != nil {
		return nil, err
	}
	m.record(c)
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}

// Client is an HTTP client whose requests go to m.
func (m *memSlack) Client() *http.Client { return &http.Client{Transport: m} }
