package tmdb_test

import (
	"strconv"
	"testing"

	"advisorybot/adapters/redis"
	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/internal/redistest"
)

// Against a real redis-server: two replicas count their TMDB requests in one
// Redis window, and when Redis stops they keep asking TMDB under their own
// rate, saying so once.
func TestRateSharedThroughRedis(t *testing.T) {
	srv := redistest.Start(t)
	store, err := redis.Open(redis.Config{Addrs: []string{srv.Addr}}, "tmdbtest:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	fake := tmdbtest.New(t)
	edit := func(c *tmdb.Config) { c.Limiter, c.Rate = store, 1000 }
	a, logsA := newClient(t, fake, edit)
	b, _ := newClient(t, fake, edit)

	for _, c := range []*tmdb.Client{a, b, a} {
		if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := redistest.Command(srv.Addr, "GET tmdbtest:rate:tmdb")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := strconv.Atoi(n); got != 3 {
		t.Fatalf("Redis counted %q requests in the window, want 3 (from both replicas)", n)
	}

	srv.Stop()
	for range 3 {
		if _, err := a.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
			t.Fatalf("with Redis down: %v", err)
		}
	}
	if fake.Total() != 6 {
		t.Errorf("%d TMDB requests, want 6", fake.Total())
	}
	if n := lines(logsA, "shared rate limiter failed"); n != 1 {
		t.Errorf("%d lines about Redis failing, want 1:\n%s", n, logsA)
	}
}
