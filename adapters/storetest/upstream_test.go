package storetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

// upstreamQuestions cover every kind of upstream lookup: a search without
// a year and with one (two requests), details of films and shows, a
// disambiguation (details of each candidate) and a miss.
var upstreamQuestions = []string{
	"is Frozen family-safe?",
	"Ballerina",
	"Fargo",
	"can my 6 year old watch Bluey 2018?",
	"The Lantern Keeper",
	"Nothing Like This",
}

// tmdbReplica is one process of the bot: its own TMDB client (held to the
// rate through st, as serve does) and its own in-process cache tier, with
// st as the shared tier.
func tmdbReplica(t *testing.T, fake *tmdbtest.Server, st store) *bot.Bot {
	t.Helper()
	cfg := fake.Config()
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.Limiter = st
	c, err := tmdb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(bot.Config{
		Catalog: fixtureCatalog(t), Gate: st, Settings: st, Cache: st, Upstream: c,
		Limits: bot.DefaultLimits(),
	})
}

func askAll(t *testing.T, b *bot.Bot) []bot.Reply {
	t.Helper()
	var out []bot.Reply
	for _, q := range upstreamQuestions {
		r := b.Handle(context.Background(), bot.Request{Platform: "test", Text: q})
		if r.Status == bot.StatusError {
			t.Fatalf("%q: %s", q, r.Text)
		}
		out = append(out, r)
	}
	return out
}

// TestUpstreamCacheSharedByReplicas: a second process on the same Redis
// asks TMDB nothing for titles the first one looked up, and answers alike.
// The keys are the upstream cache's own, with the TTLs docs/tmdb.md gives.
func TestUpstreamCacheSharedByReplicas(t *testing.T) {
	fake := tmdbtest.New(t)
	srv := redistest.Start(t)
	prefix := newPrefix(t)
	admin := openRedis(t, srv.Addr, prefix, generous)

	first := askAll(t, tmdbReplica(t, fake, openRedis(t, srv.Addr, prefix, generous)))
	cold := fake.Total()
	if cold == 0 {
		t.Fatal("the first process made no TMDB request")
	}
	second := askAll(t, tmdbReplica(t, fake, openRedis(t, srv.Addr, prefix, generous)))
	if n := fake.Total() - cold; n != 0 {
		t.Errorf("the second process made %d TMDB requests, want 0: %v", n, fake.Log()[cold:])
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("the second process answers differently:\n%+v\n%+v", first, second)
	}

	ctx := context.Background()
	keys, err := admin.Client().Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	kinds := map[string]int{}
	for _, k := range keys {
		rest := strings.TrimPrefix(k, prefix)
		ttl, err := admin.Client().PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		var lo, hi time.Duration
		switch {
		case rest == "rate:tmdb": // the shared TMDB rate limit's window (or gone since KEYS)
			lo, hi = -2, time.Second
		case rest == "cache:upstream:search:nothing like this:0":
			lo, hi = time.Hour-time.Minute, time.Hour // a miss: an hour
		case strings.HasPrefix(rest, "cache:upstream:search:"), strings.HasPrefix(rest, "cache:upstream:details:"):
			lo, hi = 7*day-time.Minute, 7*day // found: kept a week for outages
		default:
			t.Errorf("unexpected key %q", k)
			continue
		}
		if kind, _, ok := strings.Cut(strings.TrimPrefix(rest, "cache:upstream:"), ":"); ok {
			kinds[kind]++
		}
		if ttl < lo || ttl > hi {
			t.Errorf("%s: TTL %v, want within [%v, %v]", k, ttl, lo, hi)
		}
	}
	for _, want := range []string{"search", "details"} {
		if kinds[want] == 0 {
			t.Errorf("no %s keys in Redis: %q", want, keys)
		}
	}
	for _, k := range []string{
		prefix + "cache:upstream:search:frozen:0",
		prefix + "cache:upstream:search:bluey:2018",
		prefix + "cache:upstream:details:film:" + fmt.Sprint(tmdbtest.Frozen),
		prefix + "cache:upstream:details:show:" + fmt.Sprint(tmdbtest.Bluey),
		prefix + "cache:upstream:details:show:" + fmt.Sprint(tmdbtest.FargoShow),
		prefix + "cache:upstream:details:film:" + fmt.Sprint(tmdbtest.FargoFilm),
	} {
		if n, err := admin.Client().Exists(ctx, k).Result(); err != nil || n != 1 {
			t.Errorf("key %s: exists %d, %v", k, n, err)
		}
	}
}

// TestUpstreamWithRedisStopped: with Redis gone mid-test, answers keep
// coming, from the process's own tier and from TMDB, and a new title costs
// one lookup, not one per question.
func TestUpstreamWithRedisStopped(t *testing.T) {
	fake := tmdbtest.New(t)
	srv := redistest.Start(t)
	prefix := newPrefix(t)
	var logs syncbuf.Buffer
	f := newFailover(t, openRedis(t, srv.Addr, prefix, 150*time.Millisecond), debugLogger(&logs))
	f.Check(context.Background())
	b := tmdbReplica(t, fake, f)
	ask := func(text string) bot.Reply {
		t.Helper()
		r := b.Handle(context.Background(), bot.Request{Platform: "test", Text: text})
		if r.Status != bot.StatusFound {
			t.Fatalf("%q: %s (%s)\n%s", text, r.Status, r.Text, logs.String())
		}
		return r
	}
	ask("Frozen")
	srv.Stop()
	before := fake.Total()
	if r := ask("Frozen"); r.Match.Rating != "PG" {
		t.Errorf("Frozen with Redis down: %v", r.Match)
	}
	if n := fake.Total() - before; n != 0 {
		t.Errorf("a title this process had looked up cost %d TMDB requests with Redis down", n)
	}
	if r := ask("is Bluey ok for my 5 year old?"); r.Match.Rating != "TV-Y" {
		t.Errorf("Bluey with Redis down: %v", r.Match)
	}
	if n := fake.Total() - before; n != 2 {
		t.Errorf("a new title with Redis down cost %d TMDB requests, want 2 (search, details)", n)
	}
	ask("Bluey")
	if n := fake.Total() - before; n != 2 {
		t.Errorf("asking again with Redis down cost %d more TMDB requests", n-2)
	}
	// Another process, started during the outage, answers from TMDB.
	other := tmdbReplica(t, fake, newFailover(t, openRedis(t, srv.Addr, prefix, 150*time.Millisecond), slog.New(slog.NewTextHandler(io.Discard, nil))))
	if r := other.Handle(context.Background(), bot.Request{Platform: "test", Text: "Frozen"}); r.Status != bot.StatusFound || r.Match.Rating != "PG" {
		t.Errorf("a new process with Redis down: %s %v", r.Status, r.Match)
	}
	if f.Healthy() {
		t.Error("the failover still thinks Redis is up")
	}
}

// TestConcurrentUpstreamMisses: a hundred identical questions at once, on
// one process with Redis as the shared tier, make one TMDB request per
// endpoint.
func TestConcurrentUpstreamMisses(t *testing.T) {
	fake := tmdbtest.New(t)
	srv := redistest.Start(t)
	b := tmdbReplica(t, fake, openRedis(t, srv.Addr, newPrefix(t), generous))
	for _, q := range []struct {
		text  string
		paths []string
	}{
		{"is Frozen ok for kids?", []string{"/search/multi", fmt.Sprint("/movie/", tmdbtest.Frozen)}},
		{"Bluey 2018", []string{"/search/movie", "/search/tv", fmt.Sprint("/tv/", tmdbtest.Bluey)}},
	} {
		var wg sync.WaitGroup
		replies := make([]bot.Reply, 100)
		for i := range replies {
			wg.Go(func() { replies[i] = b.Handle(context.Background(), bot.Request{Platform: "test", Text: q.text}) })
		}
		wg.Wait()
		for i, r := range replies {
			if r.Status != bot.StatusFound {
				t.Fatalf("%q reply %d: %s (%s)", q.text, i, r.Status, r.Text)
			}
		}
		for _, p := range q.paths {
			if n := fake.Requests(p); n != 1 {
				t.Errorf("%q: %d requests to %s, want 1", q.text, n, p)
			}
		}
	}
}
