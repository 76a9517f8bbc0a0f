package storetest

import (
	"context"
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

// BenchmarkCacheHit is bot.Handle for "Ballerina 2023" when the lookup is
// cached: in the in-process tier (L1: no round trip), or only in the shared
// tier (L1 disabled: one GET per request), on memory and on Redis. "nocache"
// searches the catalog every time; "redis_all_state" also wires rate limits,
// settings and conversations to Redis, as serve does.
func BenchmarkCacheHit(b *testing.B) {
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
	cases := []struct {
		name string
		cfg  bot.Config
		req  bot.Request
	}{
		{"nocache", bot.Config{Limits: bot.Limits{LocalCacheSize: -1}}, bot.Request{}},
		{"memory_L1", bot.Config{Cache: mem}, bot.Request{}},
		{"memory_L2", bot.Config{Cache: mem, Limits: bot.Limits{LocalCacheSize: -1}}, bot.Request{}},
		{"redis_L1", bot.Config{Cache: rs}, bot.Request{}},
		{"redis_L2", bot.Config{Cache: rs, Limits: bot.Limits{LocalCacheSize: -1}}, bot.Request{}},
		{"redis_all_state", bot.Config{Cache: rs, Limiter: rs, Settings: rs, Conversations: rs, Limits: big},
			bot.Request{UserID: "U1", Community: "T1", Conversation: "C1"}},
	}
	ctx := context.Background()
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cfg := bc.cfg
			cfg.Catalog = live
			bt := bot.New(cfg)
			req := bc.req
			req.Platform, req.Text = "bench", "Ballerina 2023"
			if r := bt.Handle(ctx, req); r.Status != bot.StatusFound { // warm both tiers
				b.Fatalf("status %s", r.Status)
			}
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

// BenchmarkTieredHit is the lookup cache alone (no question parsing), with
// the bot's key and value shapes: an L1 hit, and an L2 hit with L1 off.
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
		{"memory_L1", memory.New(), 0},
		{"memory_L2", memory.New(), -1},
		{"redis_L1", rs, 0},
		{"redis_L2", rs, -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := cache.New(cache.Options[[]byte]{
				L2: bc.l2, Size: bc.size,
				Encode: func(v []byte) []byte { return v },
				Decode: func(v []byte) ([]byte, bool) { return v, true },
			})
			key := "lookup:0123456789abcdef:ballerina:2023"
			load := func(context.Context) ([]byte, time.Duration, error) { return value, time.Hour, nil }
			if _, err := c.Get(ctx, key, load); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Get(ctx, key, load); err != nil {
					b.Fatal(err)
				}
			}
			if s := c.Stats(); s.Loads > 1 { // the warm-up may load
				b.Fatalf("%d loads; every iteration must be a hit", s.Loads)
			}
		})
	}
}
