package bot_test

import (
	"context"
	"testing"
	"time"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

// BenchmarkAnswerFromTMDB is one question about a title only TMDB knows
// ("is Frozen family-safe?"), answered from the in-process cache tier, from
// Redis (the shared tier; no in-process tier, so every question reads it),
// and cold against a fake TMDB that takes 50 ms per request (a search and
// a details request per cold question). docs/BENCHMARKS.md has the figures.
func BenchmarkAnswerFromTMDB(b *testing.B) {
	ctx := context.Background()
	req := bot.Request{Platform: "bench", Text: "is Frozen family-safe?"}
	found := func(b *testing.B, bt *bot.Bot) {
		if r := bt.Handle(ctx, req); r.Status != bot.StatusFound || r.Match.Rating != "PG" {
			b.Fatalf("%s %v (%s)", r.Status, r.Match, r.Text)
		}
	}
	b.Run("in_process_hit", func(b *testing.B) {
		fake := tmdbtest.New(b)
		bt := tmdbBot(b, fake, bot.Config{Limits: bot.DefaultLimits()})
		found(b, bt)
		b.ReportAllocs()
		for b.Loop() {
			found(b, bt)
		}
		if fake.Total() != 2 {
			b.Fatalf("%d TMDB requests, want the 2 of the first question", fake.Total())
		}
	})
	b.Run("redis_hit", func(b *testing.B) {
		fake := tmdbtest.New(b)
		srv := redistest.Start(b)
		st, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}}, "bench:")
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		// LocalCacheSize 0: no in-process tier, every lookup is a Redis GET.
		bt := tmdbBot(b, fake, bot.Config{Cache: st, Limits: bot.Limits{LocalCacheSize: 0}})
		found(b, bt)
		b.ReportAllocs()
		for b.Loop() {
			found(b, bt)
		}
		if fake.Total() != 2 {
			b.Fatalf("%d TMDB requests, want the 2 of the first question", fake.Total())
		}
	})
	b.Run("cold_tmdb_50ms", func(b *testing.B) {
		fake := tmdbtest.New(b)
		fake.Slow(50 * time.Millisecond)
		cat := curated(b, "ballerina-2023")
		client := tmdbClient(b, fake)
		b.ReportAllocs()
		for b.Loop() {
			// A new bot is a process with an empty cache.
			found(b, bot.New(bot.Config{Catalog: cat, Upstream: client}))
		}
	})
}
