package storetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/adapters/tmdb"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/redistest"
)

// store is every shared-state interface the bot uses, and the TMDB
// client's shared rate limit (tmdb.Limiter).
type store interface {
	bot.Gate
	bot.Cache
	tmdb.Limiter
	bot.Settings
}

var prefixes atomic.Int64

// newPrefix isolates stores sharing one server from each other.
func newPrefix(t *testing.T) string {
	return fmt.Sprintf("t%d:", prefixes.Add(1))
}

// openRedis opens a client on a standalone server, closed when the test ends.
func openRedis(t *testing.T, addr, prefix string, timeout time.Duration) *redisstore.Store {
	t.Helper()
	return openRedisConfig(t, redisstore.Config{Addrs: []string{addr}, Timeout: timeout}, prefix)
}

func openRedisConfig(t *testing.T, cfg redisstore.Config, prefix string) *redisstore.Store {
	t.Helper()
	if cfg.DialTimeout == 0 {
		// Bursts of concurrent dials on a loaded machine under -race must
		// not fail tests about behaviour either.
		cfg.DialTimeout = max(cfg.Timeout, redisstore.DefaultDialTimeout)
	}
	s, err := redisstore.Open(cfg, prefix)
	if err != nil {
		t.Fatalf("opening redis store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// generous is the command timeout for tests about behaviour, not latency:
// a loaded CI machine running -race must not turn them into outage tests.
const generous = 2 * time.Second

// deadAddr is an address with nothing listening.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// debugLogger logs everything to w, for tests that count log lines.
func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// fixtureCatalog is testdata/reviews: Ballerina 2016 and 2023 (a same-name
// pair) and invented fixture titles.
func fixtureCatalog(t testing.TB) *catalog.Live {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatalf("loading fixture catalog: %v", err)
	}
	return live
}

// countingCache records what the bot asks of its shared cache.
type countingCache struct {
	bot.Cache
	gets, sets atomic.Int64
	mu         sync.Mutex
	ttls       map[string]time.Duration
}

func counting(c bot.Cache) *countingCache {
	return &countingCache{Cache: c, ttls: map[string]time.Duration{}}
}

func (c *countingCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	c.gets.Add(1)
	return c.Cache.Get(ctx, key)
}

func (c *countingCache) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	c.sets.Add(1)
	c.mu.Lock()
	c.ttls[key] = ttl
	c.mu.Unlock()
	return c.Cache.Set(ctx, key, v, ttl)
}

func (c *countingCache) keys() map[string]time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]time.Duration, len(c.ttls))
	for k, v := range c.ttls {
		out[k] = v
	}
	return out
}

// backend is a way of sharing state between bot instances.
type backend struct {
	name string
	// replica opens the shared state as another replica would: its own
	// client (Redis) on the same data.
	replica func(t *testing.T) store
	// restart opens the state as the bot would after a restart.
	restart func(t *testing.T) store
	// client is the raw Redis client, nil for memory.
	client goredis.UniversalClient
	prefix string
}

// backends returns the in-memory backend (one process: replicas share the
// store; a restart reopens the settings file) and the Redis one.
func backends(t *testing.T) []backend {
	t.Helper()
	settings := t.TempDir() + "/settings.json"
	mem, err := memory.Open(memory.Options{SettingsFile: settings})
	if err != nil {
		t.Fatal(err)
	}
	bs := []backend{{
		name:    "memory",
		replica: func(*testing.T) store { return mem },
		restart: func(t *testing.T) store {
			s, err := memory.Open(memory.Options{SettingsFile: settings})
			if err != nil {
				t.Fatalf("reopening memory store: %v", err)
			}
			return s
		},
	}}
	srv := redistest.Start(t)
	prefix := newPrefix(t)
	open := func(t *testing.T) store { return openRedis(t, srv.Addr, prefix, generous) }
	admin := openRedis(t, srv.Addr, prefix, generous)
	return append(bs, backend{name: "redis", replica: open, restart: open, client: admin.Client(), prefix: prefix})
}

// newFailover wraps a Redis store with the in-memory fallback.
func newFailover(t *testing.T, primary *redisstore.Store, log *slog.Logger) *failover.Failover {
	t.Helper()
	f := failover.New(primary, memory.New(), failover.Options{
		Logger: log, ProbeEvery: 50 * time.Millisecond, ProbeTimeout: 200 * time.Millisecond,
		Unavailable: redisstore.Unavailable, Busy: redisstore.Busy,
	})
	t.Cleanup(f.Close)
	return f
}
