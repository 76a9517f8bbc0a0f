package tmdb_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/internal/syncbuf"
)

// newClient returns a client of fake with a captured log; edit changes the
// configuration first. The jitter is pinned to the middle of its range, so
// a retry waits exactly RetryDelay.
func newClient(t *testing.T, fake *tmdbtest.Server, edit ...func(*tmdb.Config)) (*tmdb.Client, *syncbuf.Buffer) {
	t.Helper()
	logs := &syncbuf.Buffer{}
	cfg := fake.Config()
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.Jitter = func() float64 { return 0.5 }
	for _, e := range edit {
		e(&cfg)
	}
	c, err := tmdb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

func withAPIKey(key string) func(*tmdb.Config) {
	return func(c *tmdb.Config) { c.Token, c.APIKey = "", key }
}

// lines counts the log lines containing s.
func lines(logs *syncbuf.Buffer, s string) int {
	n := 0
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// scriptedLimiter is a shared limiter whose answers a test decides.
type scriptedLimiter struct {
	mu    sync.Mutex
	calls []limiterCall
	// answer returns the verdict for the n-th call (from 1).
	answer func(n int) (bool, error)
}

type limiterCall struct {
	key    string
	limit  int
	window time.Duration
}

func (l *scriptedLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	l.mu.Lock()
	l.calls = append(l.calls, limiterCall{key, limit, window})
	n := len(l.calls)
	l.mu.Unlock()
	return l.answer(n)
}

func (l *scriptedLimiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls)
}
