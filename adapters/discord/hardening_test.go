package discord

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/syncbuf"
)

// countingGate counts, per limit key, the questions charged to it: those
// the store did not recognise as duplicates.
type countingGate struct {
	bot.Gate
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingGate) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	a, err := c.Gate.Admit(ctx, r)
	if err == nil && !a.Duplicate {
		c.mu.Lock()
		for _, l := range r.Limits {
			c.calls[l.Key]++
		}
		c.mu.Unlock()
	}
	return a, err
}

func (c *countingGate) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[key]
}

// TestHTTPReplay: a captured interaction sent again, byte for byte (a
// valid signature, the same id), is answered once: the replays get 409 and
// change nothing, so they do not use up the user's rate limit.
func TestHTTPReplay(t *testing.T) {
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	lim := &countingGate{Gate: store, calls: map[string]int{}}
	b := bot.New(bot.Config{Catalog: live, Gate: lim, Settings: store,
		Limits: bot.Limits{UserPerMinute: 2}})
	hh, priv := testEndpoint(t, Config{Bot: b, Sender: newRecordingSender()})
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		hh.ServeHTTP(rec, r)
		return rec
	}
	cmd := ballerinaCommand(t)
	captured := signedRequest(priv, cmd)
	replay := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(string(cmd)))
		r.Header = captured.Header.Clone()
		return r
	}
	const userKey = "user:500000000000000005"
	if rec := serve(captured); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Ballerina (2023) · film · TV-MA") {
		t.Fatalf("first delivery: %d %s", rec.Code, rec.Body)
	}
	for n := range 3 {
		rec := serve(replay())
		if rec.Code != http.StatusConflict || strings.Contains(rec.Body.String(), "Ballerina") {
			t.Errorf("replay %d: %d %s, want 409 and no answer", n+1, rec.Code, rec.Body)
		}
	}
	if got := lim.count(userKey); got != 1 {
		t.Errorf("the user's rate limit was checked %d times, want once", got)
	}
	// The user has one request left this minute: a new interaction is answered.
	other := bytesReplace(cmd, "1200000000000000001", "1200000000000000002")
	if rec := serve(signedRequest(priv, other)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Ballerina (2023) · film · TV-MA") {
		t.Errorf("a new interaction after the replays: %d %s", rec.Code, rec.Body)
	}
}

// TestInteractDuplicate: the Handler itself answers an id once, whichever
// way it arrives; a duplicate sends nothing.
func TestInteractDuplicate(t *testing.T) {
	h := newTestHandler(t, fixtureBot(t), nil)
	i, err := decodeInteraction(ballerinaCommand(t))
	if err != nil {
		t.Fatal(err)
	}
	sends := 0
	if err := h.interact(context.Background(), i, func([]byte, bool) { sends++ }); err != nil || sends != 1 {
		t.Fatalf("first delivery: %d sends, %v", sends, err)
	}
	if err := h.interact(context.Background(), i, func([]byte, bool) { sends++ }); err != errDuplicate || sends != 1 {
		t.Errorf("second delivery: %d sends in all, err %v; want errDuplicate and nothing sent", sends, err)
	}
}

func bytesReplace(b []byte, old, new string) []byte {
	return []byte(strings.Replace(string(b), old, new, 1))
}

// announcingBody tells when the handler first reads the body: by then it
// has reserved whatever it reserves for it.
type announcingBody struct {
	io.ReadCloser
	once sync.Once
	c    chan<- struct{}
}

func (a *announcingBody) Read(p []byte) (int, error) {
	a.once.Do(func() { a.c <- struct{}{} })
	return a.ReadCloser.Read(p)
}

// TestHTTPStalledBodies: connections that declare a large body and stall
// (anyone can send plausible headers) cost about what net/http costs for
// any connection, not the declared size; bodies declared past the limit
// are refused unread.
func TestHTTPStalledBodies(t *testing.T) {
	cb := &countingBot{Answerer: fixtureBot(t)}
	hh, _ := testEndpoint(t, Config{Bot: cb, Sender: newRecordingSender()})
	const conns = 200
	reading := make(chan struct{}, conns)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &announcingBody{ReadCloser: r.Body, c: reading}
		hh.ServeHTTP(w, r)
	}))
	defer srv.Close()
	headers := func(declared int) string {
		return fmt.Sprintf("POST /discord/interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
			"X-Signature-Ed25519: %s\r\nX-Signature-Timestamp: %s\r\n\r\n", declared, strings.Repeat("ab", ed25519.SignatureSize), unixIn(0))
	}

	// Declared past the limit: 413 at once, without waiting for the body.
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(c, headers(1<<20)+`{"type":`); err != nil {
		t.Fatal(err)
	}
	// A safety net, not a measurement: the answer should come at once.
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	status := make([]byte, len("HTTP/1.1 413"))
	if _, err := io.ReadFull(c, status); err != nil || string(status) != "HTTP/1.1 413" {
		t.Errorf("declared 1 MiB: %q (%v), want 413", status, err)
	}
	c.Close()

	// Declared at the limit, then stalled.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	open := make([]net.Conn, 0, conns)
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		if _, err := io.WriteString(c, headers(DefaultMaxBody)+`{"type":`); err != nil {
			t.Fatal(err)
		}
	}
	for range conns {
		<-reading
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d stalled connections: heap %+d KiB (%.1f KiB each, net/http's own buffers included)", conns, growth>>10, float64(growth)/1024/conns)
	// net/http holds about 14 KiB per connection of its own; reserving the
	// declared 64 KiB as well would take the total near 16 MiB.
	if limit := int64(6 << 20); growth > limit {
		t.Errorf("heap grew by %d KiB for %d stalled connections, want under %d KiB", growth>>10, conns, limit>>10)
	}
	if n := cb.handled.Load(); n != 0 {
		t.Errorf("%d stalled requests reached the bot", n)
	}
}

// TestHTTPRejectionFlood: a flood of rejected requests (forged signatures,
// stale timestamps, malformed bodies, replays) writes a few log lines, not
// one per request.
func TestHTTPRejectionFlood(t *testing.T) {
	logs := &syncbuf.Buffer{}
	pub, priv := testKey()
	_, forger, _ := ed25519.GenerateKey(nil)
	h := newTestHandler(t, fixtureBot(t), nil)
	hh, err := NewHTTPHandler(hexKey(pub), h, slog.New(slog.NewTextHandler(logs, nil)), 0)
	if err != nil {
		t.Fatal(err)
	}
	cmd := ballerinaCommand(t)
	floods := []struct {
		reason string
		req    func(n int) *http.Request
		code   int
	}{
		{"forged", func(int) *http.Request { return signedRequest(forger, cmd) }, http.StatusUnauthorized},
		{"stale", func(int) *http.Request { return signedAt(priv, cmd, unixIn(-time.Hour)) }, http.StatusUnauthorized},
		{"malformed", func(int) *http.Request { return signedRequest(priv, []byte(`{"type":2,`)) }, http.StatusBadRequest},
		{"replayed", func(int) *http.Request { return signedRequest(priv, cmd) }, http.StatusConflict},
	}
	const perFlood = 300
	start := time.Now()
	for _, f := range floods {
		for n := range perFlood {
			rec := httptest.NewRecorder()
			hh.ServeHTTP(rec, f.req(n))
			if f.reason == "replayed" && n == 0 {
				continue // the first delivery is answered
			}
			if rec.Code != f.code {
				t.Fatalf("%s request %d: %d, want %d", f.reason, n, rec.Code, f.code)
			}
		}
	}
	lines := strings.Count(logs.String(), "\n")
	// One line per reason, and one more per reason for every rejectlog
	// interval (10 s) the flood lasted.
	bound := len(floods) * (1 + int(time.Since(start)/(10*time.Second)))
	if lines == 0 || lines > bound {
		t.Errorf("%d rejected requests logged %d lines, want 1 to %d:\n%s", len(floods)*perFlood-1, lines, bound, logs)
	}
}
