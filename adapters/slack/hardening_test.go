package slack_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/bot"
	"advisorybot/internal/syncbuf"
)

// TestStalledBodiesKeepMemoryBounded: connections that declare a large
// body and then send nothing cost the server little memory while it waits,
// whatever they declare. Real TCP connections to a real server; the heap is
// measured once every handler is waiting for its body.
func TestStalledBodiesKeepMemoryBounded(t *testing.T) {
	const conns = 200
	a, err := slackadapter.New(slackadapter.Config{Bot: &countingBot{next: newBot(t)}, SigningSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	var waiting sync.WaitGroup // one per handler, done when it first reads its body (or returns)
	waiting.Add(conns)
	endpoints := map[string]http.Handler{"/slack/commands": a.Commands(), "/slack/events": a.Events(), "/slack/interactions": a.Interactions()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var once sync.Once
		r.Body = readSignal{ReadCloser: r.Body, first: func() { once.Do(waiting.Done) }}
		defer once.Do(waiting.Done)
		endpoints[r.URL.Path].ServeHTTP(w, r)
	}))
	defer srv.Close()

	before := heapInUse()
	paths := []string{"/slack/commands", "/slack/events", "/slack/interactions"}
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for i := range conns {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		// A plausible timestamp and any 64-hex signature: what an outsider
		// can send. 1 MiB is the most a body may be.
		if _, err := fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\nX-Slack-Request-Timestamp: %s\r\nX-Slack-Signature: v0=%s\r\n\r\n",
			paths[i%len(paths)], formType, 1<<20, now(), strings.Repeat("ab", 32)); err != nil {
			t.Fatal(err)
		}
	}
	waiting.Wait()
	grew := heapInUse() - before
	t.Logf("%d stalled connections: heap grew by %.1f MB (%.1f KB each)", conns, float64(grew)/(1<<20), float64(grew)/conns/1024)
	if limit := int64(conns * 32 << 10); grew > limit {
		t.Errorf("%d stalled connections grew the heap by %d bytes; want at most %d (32 KiB each)", conns, grew, limit)
	}
}

type readSignal struct {
	io.ReadCloser
	first func()
}

func (r readSignal) Read(p []byte) (int, error) {
	r.first()
	return r.ReadCloser.Read(p)
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestRejectedFloodLogsLittle: a flood of forged, stale, oversized and
// malformed requests writes a line per kind of rejection, not per request.
func TestRejectedFloodLogsLittle(t *testing.T) {
	logs := &syncbuf.Buffer{}
	var counted sync.Map // reason -> *atomic.Int64
	count := func(reason string) {
		n, _ := counted.LoadOrStore(reason, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
	h := newHarnessFor(t, newBot(t), slackadapter.Config{Logger: slog.New(slog.NewTextHandler(logs, nil)), CountRejected: count})
	body := commandBody("Ballerina 2023", "https://hooks.slack.com/commands/T1/1/x")
	stale := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	big := "text=" + strings.Repeat("a", 2<<20)
	forgeries := []func() *http.Request{
		func() *http.Request { // wrong signature
			r := signed("/slack/commands", formType, body)
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
			return r
		},
		func() *http.Request { // stale
			r := signed("/slack/commands", formType, body)
			r.Header.Set("X-Slack-Request-Timestamp", stale)
			r.Header.Set("X-Slack-Signature", sign(stale, body))
			return r
		},
		func() *http.Request { // no signature
			r := signed("/slack/commands", formType, body)
			r.Header.Del("X-Slack-Signature")
			return r
		},
		func() *http.Request { // too large
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(big))
			r.Header.Set("X-Slack-Request-Timestamp", now())
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
			return r
		},
		func() *http.Request { return signed("/slack/commands", formType, "text=no+command") },      // signed garbage
		func() *http.Request { return httptest.NewRequest(http.MethodGet, "/slack/commands", nil) }, // wrong method
	}
	const rounds = 200
	for range rounds {
		for _, forge := range forgeries {
			rec := httptest.NewRecorder()
			h.a.Commands().ServeHTTP(rec, forge())
			if rec.Code < 400 {
				t.Fatalf("a forged request got %d", rec.Code)
			}
		}
	}
	h.stop()
	lines := strings.Count(logs.String(), "\n")
	if lines > len(forgeries) {
		t.Errorf("%d rejected requests wrote %d log lines; want at most one per kind (%d):\n%s", rounds*len(forgeries), lines, len(forgeries), logs)
	}
	if n := h.bot.n.Load(); n != 0 {
		t.Errorf("%d rejected requests reached the bot", n)
	}
	// Every rejection is counted, each under its reason: the metric sees
	// what the log summarises.
	total, reasons := int64(0), 0
	counted.Range(func(_, n any) bool {
		total += n.(*atomic.Int64).Load()
		reasons++
		return true
	})
	if total != rounds*int64(len(forgeries)) || reasons < 4 {
		t.Errorf("CountRejected saw %d rejections under %d reasons; want %d under one reason per kind", total, reasons, rounds*len(forgeries))
	}
}

// TestSSLCheck: Slack's check of the slash command URL (ssl_check=1 and a
// token, no command, signed or not) gets an empty 200 and does nothing.
func TestSSLCheck(t *testing.T) {
	h := newHarness(t)
	const body = "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO"
	unsigned := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	unsigned.Header.Set("Content-Type", formType)
	for name, r := range map[string]*http.Request{
		"signed":   signed("/slack/commands", formType, body),
		"unsigned": unsigned,
		"query":    httptest.NewRequest(http.MethodGet, "/slack/commands?ssl_check=1&token=x", nil),
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.a.Commands().ServeHTTP(rec, r)
			if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Errorf("got %d %q, want an empty 200", rec.Code, rec.Body)
			}
		})
	}
	h.stop()
	if n, calls := h.bot.n.Load(), h.api.Calls(); n != 0 || len(calls) != 0 {
		t.Errorf("SSL checks reached the bot %d times and Slack %d times", n, len(calls))
	}
	// An unsigned request is still refused when it is anything else.
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader("ssl_check=1&command=%2Fadvisory&user_id=U1&text=Frozen"))
	r.Header.Set("Content-Type", formType)
	h.a.Commands().ServeHTTP(rec, r)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("an unsigned command claiming ssl_check: %d, want 401", rec.Code)
	}
}

// stateCounter counts the rate-limit checks, which change shared state.
type stateCounter struct {
	*memory.Store
	allows atomic.Int64
}

// Admit counts the questions charged to the rate limits: every one the
// store did not recognise as a duplicate.
func (s *stateCounter) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	a, err := s.Store.Admit(ctx, r)
	if err == nil && !a.Duplicate && len(r.Limits) > 0 {
		s.allows.Add(1)
	}
	return a, err
}

// TestReplaysAnsweredOnce: a slash command or a click replayed inside
// Slack's 5-minute window, with a fresh valid signature and the same
// trigger_id, is answered once and changes no state the second time.
func TestReplaysAnsweredOnce(t *testing.T) {
	st := &stateCounter{Store: memory.New()}
	h := newHarnessFor(t, newBotWith(t, st), slackadapter.Config{})

	body := commandBodyWithTrigger("Ballerina 2023", h.api.ResponseURL("c1"), "4242.4242.cafe")
	first := httptest.NewRecorder()
	h.a.Commands().ServeHTTP(first, signed("/slack/commands", formType, body))
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), "Ballerina (2023)") {
		t.Fatalf("first delivery: %d %q", first.Code, first.Body)
	}
	allows := st.allows.Load()
	replay := httptest.NewRecorder()
	later := strconv.FormatInt(time.Now().Unix()+1, 10) // a fresh timestamp, so a fresh signature
	h.a.Commands().ServeHTTP(replay, signedAt(later, "/slack/commands", formType, body))
	if replay.Code != http.StatusOK || replay.Body.Len() != 0 {
		t.Errorf("replayed command: %d %q, want an empty 200", replay.Code, replay.Body)
	}
	if n := st.allows.Load(); n != allows {
		t.Errorf("the replayed command used the rate limit (%d → %d)", allows, n)
	}

	click := clickBodyWithTrigger("advisory.pick.1", "id=ballerina-2023&age=10", h.api.ResponseURL("r1"), true, "4242.4243.beef")
	for i := range 2 {
		rec := httptest.NewRecorder()
		h.a.Interactions().ServeHTTP(rec, signedAt(strconv.FormatInt(time.Now().Unix()+int64(i), 10), "/slack/interactions", formType, click))
		if rec.Code != http.StatusOK {
			t.Fatalf("click: %d", rec.Code)
		}
	}
	h.stop()
	var answers []slacktestws.Call
	for _, c := range h.api.Calls() {
		if c.Method == "response_url" {
			answers = append(answers, c)
		}
	}
	if len(answers) != 1 || answers[0].Path != "/response/r1" {
		t.Errorf("the click and its replay were answered %d times: %+v", len(answers), answers)
	}
	if n := st.allows.Load() - allows; n != 1 {
		t.Errorf("a click and its replay were charged %d times to the rate limits, want 1 (the click)", n)
	}
}
