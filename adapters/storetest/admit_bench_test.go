package storetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

// BenchmarkRedisQuestionState is the shared state of one question on
// loopback Redis: one Admit (dedupe, two limits, the thread in one script)
// and the profile, read from the cache. (It was measured against the older
// single-purpose ports, since removed: docs/BENCHMARKS.md.)
func BenchmarkRedisQuestionState(b *testing.B) {
	srv := redistest.Start(b)
	rs, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "bench:")
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	ctx := context.Background()
	if err := rs.SetProfile(ctx, "slack:T1", bot.Profile{Age: 8}); err != nil {
		b.Fatal(err)
	}
	age := 8
	b.Run("admit", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			a, err := rs.Admit(ctx, bot.Admit{
				Scope: "slack:T1", EventKey: "E" + strconv.Itoa(i), DedupeTTL: time.Minute,
				Limits: []bot.LimitCheck{
					{Key: "user:U" + strconv.Itoa(i%1000), Max: 1 << 30, Window: time.Minute},
					{Key: "community", Max: 1 << 30, Window: time.Minute},
				},
				ThreadKey: "C" + strconv.Itoa(i%1000), ThreadTTL: time.Minute, Note: bot.ThreadNote{Title: "Ballerina", Age: &age},
			})
			if err != nil || !a.Admitted() {
				b.Fatal(a, err)
			}
			if _, _, err := rs.Profile(ctx, "slack:T1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
