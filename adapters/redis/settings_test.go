package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/goroutines"
	"advisorybot/internal/redistest"
)

// seenWithin polls s until community's profile has the given age, failing
// the test past within. The profile must be served from the cache before
// the change (checked by the caller), so only an invalidation makes it.
func seenWithin(t *testing.T, s *redis.Store, community string, age int, within time.Duration) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	for {
		p, ok, err := s.Profile(ctx, community)
		if err == nil && ok && p.Age == age {
			t.Logf("seen after %v", time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Since(start) > within {
			t.Fatalf("profile of %s still %+v (%v, %v) after %v; want age %d", community, p, ok, err, within, age)
		}
		time.Sleep(time.Millisecond) // polling; the deadline is what is asserted
	}
}

// cached fails the test unless reading community's profile from s costs no
// round trip (and returns want).
func cached(t *testing.T, s *redis.Store, h *roundTrips, community string, want bot.Profile, wantOK bool) {
	t.Helper()
	ctx := context.Background()
	s.Profile(ctx, community) // fill
	n, cmds := h.count(func() {
		if p, ok, err := s.Profile(ctx, community); err != nil || ok != wantOK || p != want {
			t.Fatalf("Profile(%s) = %+v, %v, %v; want %+v, %v", community, p, ok, err, want, wantOK)
		}
	})
	if n != 0 {
		t.Fatalf("Profile(%s) was not served from the cache: %d round trips %v", community, n, cmds)
	}
}

// TestSettingsChangeReachesOtherReplicas: two Stores (replicas) on one
// redis-server, each caching profiles; a change made through one is seen
// by the other within a second, for a new profile and for a changed one.
func TestSettingsChangeReachesOtherReplicas(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	a, _ := openCounted(t, redis.Config{Addrs: []string{srv.Addr}}, "")
	b, hb := openCounted(t, redis.Config{Addrs: []string{srv.Addr}}, "")
	waitLive(t, a)
	waitLive(t, b)

	cached(t, b, hb, "slack:T1", bot.Profile{}, false)
	if err := a.SetProfile(ctx, "slack:T1", bot.Profile{Age: 9, Country: "GB", Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	seenWithin(t, b, "slack:T1", 9, time.Second)
	cached(t, b, hb, "slack:T1", bot.Profile{Age: 9, Country: "GB", Visibility: "public"}, true)

	if err := a.SetProfile(ctx, "slack:T1", bot.Profile{Age: 12}); err != nil {
		t.Fatal(err)
	}
	seenWithin(t, b, "slack:T1", 12, time.Second)
	// The replica that made the change reads it at once.
	if p, _, _ := a.Profile(ctx, "slack:T1"); p.Age != 12 {
		t.Fatalf("the writer reads %+v after its own change", p)
	}
	// Other communities stay cached.
	cached(t, b, hb, "slack:T2", bot.Profile{}, false)
	if err := a.SetProfile(ctx, "slack:T1", bot.Profile{Age: 13}); err != nil {
		t.Fatal(err)
	}
	seenWithin(t, b, "slack:T1", 13, time.Second)
	cached(t, b, hb, "slack:T2", bot.Profile{}, false)
}

// TestSettingsOnCluster: the same through Cluster clients.
func TestSettingsOnCluster(t *testing.T) {
	ctx := context.Background()
	srv := redistest.StartCluster(t)
	cfg := redis.Config{Addrs: []string{srv.Addr}, Cluster: true}
	a, _ := openCounted(t, cfg, "")
	b, hb := openCounted(t, cfg, "")
	waitLive(t, b)
	cached(t, b, hb, "discord:G1", bot.Profile{}, false)
	if err := a.SetProfile(ctx, "discord:G1", bot.Profile{Age: 7}); err != nil {
		t.Fatal(err)
	}
	seenWithin(t, b, "discord:G1", 7, time.Second)
}

// TestSettingsSubscriptionLost: changes announced while a replica's
// subscription is down are not missed: losing it empties the cache, and
// the cache is not used until the subscription is back.
func TestSettingsSubscriptionLost(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	a, _ := openCounted(t, redis.Config{Addrs: []string{srv.Addr}}, "")
	b, hb := openCounted(t, redis.Config{Addrs: []string{srv.Addr}}, "")
	waitLive(t, b)
	for i := range 3 {
		if i == 0 {
			cached(t, b, hb, "slack:T1", bot.Profile{}, false)
		} else {
			cached(t, b, hb, "slack:T1", bot.Profile{Age: 20 + i - 1}, true)
		}
		// Kill every subscriber connection, then change the profile at once:
		// b is most likely still reconnecting when the announcement goes out.
		if _, err := redistest.Command(srv.Addr, "CLIENT KILL TYPE pubsub"); err != nil {
			t.Fatal(err)
		}
		if err := a.SetProfile(ctx, "slack:T1", bot.Profile{Age: 20 + i}); err != nil {
			t.Fatal(err)
		}
		seenWithin(t, b, "slack:T1", 20+i, time.Second)
		waitLive(t, b)
	}
}

// TestSettingsAnnouncedByHand: an announcement published by hand (without
// a Store's id) invalidates too, so an operator can edit with redis-cli.
func TestSettingsAnnouncedByHand(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	s, h := openCounted(t, redis.Config{Addrs: []string{srv.Addr}}, "")
	waitLive(t, s)
	cached(t, s, h, "slack:T1", bot.Profile{}, false)
	admin := goredis.NewClient(&goredis.Options{Addr: srv.Addr})
	defer admin.Close()
	admin.HSet(ctx, "advisorybot:settings:slack:T1", "profile", `{"age":11}`)
	admin.Publish(ctx, "advisorybot:settings:changed", "slack:T1")
	seenWithin(t, s, "slack:T1", 11, time.Second)
}

// TestSettingsWithRedisDown: with no Redis the subscriber keeps trying
// without spinning, reads fail rather than serve, and Close is prompt.
func TestSettingsWithRedisDown(t *testing.T) {
	srv := redistest.Start(t)
	addr := srv.Addr
	srv.Stop()
	s, err := redis.Open(redis.Config{Addrs: []string{addr}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Profile(context.Background(), "slack:T1"); err == nil || !redis.Unavailable(err) {
		t.Fatalf("Profile with Redis down: %v; want an outage", err)
	}
	if redis.SettingsLive(s) {
		t.Fatal("live with no Redis")
	}
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

// TestCloseStopsSubscriber: the subscriber goroutine belongs to the Store.
func TestCloseStopsSubscriber(t *testing.T) {
	srv := redistest.Start(t)
	const subscriber = "(*settingsCache).run("
	before := goroutines.Count(subscriber)
	var stores []*redis.Store
	for range 3 {
		s, err := redis.Open(redis.Config{Addrs: []string{srv.Addr}, Timeout: 2 * time.Second}, "")
		if err != nil {
			t.Fatal(err)
		}
		waitLive(t, s)
		stores = append(stores, s)
	}
	if got := goroutines.Count(subscriber) - before; got != 3 {
		t.Fatalf("%d subscriber goroutines for 3 stores", got)
	}
	for _, s := range stores {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Close returns once run has closed done; the goroutine still has to
	// return from run after that, so it gets a moment to be gone.
	if got := goroutines.Settle(subscriber, before, 2*time.Second) - before; got != 0 {
		t.Fatalf("%d subscriber goroutines left after Close", got)
	}
}
