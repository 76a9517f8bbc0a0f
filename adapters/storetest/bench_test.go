package storetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/bot/cache"
	"advisorybot/bot/catalog"
	"advisorybot/data"
	"advisorybot/internal/redistest"
)

// BenchmarkHandle is bot.Handle for "Ballerina 2023" with its shared state
// in memory, and with rate limits, settings and conversations in Redis, as
// serve wires them.
func BenchmarkHandle(b *testing.B) {
	live, err := catalog.NewLive(data.Reviews())
	if err != nil {
		b.Fatal(err)
	}
	srv := redistest.Start(b)
	rs, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "bench:")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = rs.Close() })
	mem := memory.New()
	big := bot.Limits{UserPerMinute: 1 << 30, CommunityPerMinute: 1 << 30}
	state := bot.Request{UserID: "U1", Community: "T1", Conversation: "C1"}
	cases := []struct {
		name string
		cfg  bot.Config
		req  bot.Request
	}{
		{"no_state", bot.Config{}, bot.Request{}},
		{"memory_all_state", bot.Config{Cache: mem, Settings: mem, Gate: mem, Limits: big}, state},
		{"redis_all_state", bot.Config{Cache: rs, Settings: rs, Gate: rs, Limits: big}, state},
	}
	ctx := context.Background()
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cfg := bc.cfg
			cfg.Catalog = live
			bt := bot.New(cfg)
			req := bc.req
			req.Platform, req.Text = "bench", "Ballerina 2023"
			b.ReportAllocs()
			for b.Loop() {
				if r := bt.Handle(ctx, req); r.Status != bot.StatusFound {
					b.Fatalf("status %s", r.Status)
				}
			}
		})
	}
}

// BenchmarkRedisGet is one cache GET on loopback: the floor of an L2 hit.
func BenchmarkRedisGet(b *testing.B) {
	srv := redistest.Start(b)
	rs, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "bench:")
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	ctx := context.Background()
	if err := rs.Set(ctx, "k", []byte("0123456789abcdef0123456789"), time.Hour); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := rs.Get(ctx, "k"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkTieredHit is the lookup cache alone: an L1 hit, and an L2 hit
// with L1 off.
func BenchmarkTieredHit(b *testing.B) {
	srv := redistest.Start(b)
	rs, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "bench:")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = rs.Close() })
	ctx := context.Background()
	value := []byte("\x01\x01\x0eballerina-2023\x00")
	for _, bc := range []struct {
		name string
		l2   cache.Store
		size int
	}{
		{"memory_L1", memory.New(), cache.DefaultSize},
		{"memory_L2", memory.New(), 0},
		{"redis_L1", rs, cache.DefaultSize},
		{"redis_L2", rs, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := cache.New(cache.Options[[]byte]{
				L2: bc.l2, Size: bc.size,
				Encode: func(v []byte) []byte { return v },
				Decode: func(v []byte) ([]byte, bool) { return v, true },
			})
			key := "upstream:film:12345"
			var loads atomic.Int64
			load := func(context.Context) ([]byte, time.Duration, error) { loads.Add(1); return value, time.Hour, nil }
			if _, err := c.Get(ctx, key, load); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Get(ctx, key, load); err != nil {
					b.Fatal(err)
				}
			}
			if n := loads.Load(); n > 1 { // the warm-up loads
				b.Fatalf("%d loads; every iteration must be a hit", n)
			}
		})
	}
}
