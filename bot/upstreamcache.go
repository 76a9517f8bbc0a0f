package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"golang.org/x/sync/singleflight"

	"advisorybot/bot/cache"
	"advisorybot/bot/search"
)

// UpstreamTTLs say how long upstream answers are kept. Found answers are
// fresh for Fresh, misses for Miss; a found answer past Fresh is refreshed,
// but kept until Keep so that an upstream outage can still be answered
// from it (saying how old it is).
type UpstreamTTLs struct {
	Fresh time.Duration
	Miss  time.Duration
	Keep  time.Duration
}

// DefaultUpstreamTTLs keep TMDB answers a day, misses an hour, and stale
// answers a week for outages (TMDB's terms allow caching for up to six months).
var DefaultUpstreamTTLs = UpstreamTTLs{Fresh: 24 * time.Hour, Miss: time.Hour, Keep: 7 * 24 * time.Hour}

func (t UpstreamTTLs) withDefaults() UpstreamTTLs {
	if t.Fresh <= 0 {
		t.Fresh = DefaultUpstreamTTLs.Fresh
	}
	if t.Miss <= 0 {
		t.Miss = DefaultUpstreamTTLs.Miss
	}
	if t.Keep < t.Fresh {
		t.Keep = max(t.Fresh, DefaultUpstreamTTLs.Keep)
	}
	return t
}

// fetched is an upstream answer with the time it was fetched.
type fetched[V any] struct {
	At       time.Time `json:"at"`
	NotFound bool      `json:"not_found,omitempty"`
	Value    V         `json:"value"`
}

// upstreamCache puts the two-tier cache in front of an Upstream: in-process
// first, then the shared store (Redis), so replicas share answers and they
// survive restarts. Concurrent misses for one key make one upstream call.
type upstreamCache struct {
	up      Upstream
	ttl     UpstreamTTLs
	now     func() time.Time
	log     *slog.Logger
	search  *cache.Cache[fetched[[]UpstreamTitle]]
	details *cache.Cache[fetched[UpstreamDetails]]
	refresh singleflight.Group
}

// CacheObserver is an Observer that is also told what the upstream cache's
// lookups find, for metrics: name is "search" or "details". Like Observer it
// must be quick and safe for concurrent use.
type CacheObserver interface {
	CacheLookup(name string, e cache.Event)
}

func newUpstreamCache(up Upstream, l2 Cache, size int, ttl UpstreamTTLs, now func() time.Time, log *slog.Logger, obs Observer) *upstreamCache {
	if now == nil {
		now = time.Now
	}
	u := &upstreamCache{up: up, ttl: ttl.withDefaults(), now: now, log: log}
	co, _ := obs.(CacheObserver)
	u.search = cache.New(options[[]UpstreamTitle](l2, size, now, log, observer(co, "search")))
	u.details = cache.New(options[UpstreamDetails](l2, size, now, log, observer(co, "details")))
	return u
}

// observer tells co about one cache's events; nil without co.
func observer(co CacheObserver, name string) func(cache.Event) {
	if co == nil {
		return nil
	}
	return func(e cache.Event) { co.CacheLookup(name, e) }
}

func options[V any](l2 Cache, size int, now func() time.Time, log *slog.Logger, observe func(cache.Event)) cache.Options[fetched[V]] {
	o := cache.Options[fetched[V]]{
		Size: size, Now: now, Logger: log, L2Prefix: "upstream:", Observe: observe,
		Encode: func(v fetched[V]) []byte {
			b, _ := json.Marshal(v) // plain structs: cannot fail
			return b
		},
		Decode: func(b []byte) (fetched[V], bool) {
			var v fetched[V]
			return v, json.Unmarshal(b, &v) == nil && !v.At.IsZero()
		},
	}
	if l2 != nil {
		o.L2 = l2
	}
	return o
}

// Search finds titles upstream. age is how old the answer is when it came
// from the cache past its freshness because the upstream failed; 0 otherwise.
func (u *upstreamCache) Search(ctx context.Context, title string, year int) ([]UpstreamTitle, time.Duration, error) {
	key := "search:" + search.Normalize(title) + ":" + strconv.Itoa(year)
	f, age, err := get(ctx, u, u.search, key, func(ctx context.Context) (fetched[[]UpstreamTitle], error) {
		ts, err := u.up.Search(ctx, title, year)
		return fetched[[]UpstreamTitle]{At: u.now(), Value: ts, NotFound: len(ts) == 0}, err
	})
	return f.Value, age, err
}

// Details returns one title's details and certifications.
func (u *upstreamCache) Details(ctx context.Context, ref UpstreamRef) (UpstreamDetails, time.Duration, error) {
	key := "details:" + string(ref.Kind) + ":" + strconv.Itoa(ref.ID)
	f, age, err := get(ctx, u, u.details, key, func(ctx context.Context) (fetched[UpstreamDetails], error) {
		d, err := u.up.Details(ctx, ref)
		if errors.Is(err, ErrUpstreamNotFound) {
			return fetched[UpstreamDetails]{At: u.now(), NotFound: true}, nil
		}
		return fetched[UpstreamDetails]{At: u.now(), Value: d}, err
	})
	if err == nil && f.NotFound {
		return UpstreamDetails{}, age, fmt.Errorf("details of %s %d: %w", ref.Kind, ref.ID, ErrUpstreamNotFound)
	}
	return f.Value, age, err
}

// PeekDetails returns a title's details if this process holds them, without
// asking the shared tier or the upstream: for autocomplete, which must not wait.
func (u *upstreamCache) PeekDetails(ref UpstreamRef) (UpstreamDetails, bool) {
	f, ok := u.details.Peek("details:" + string(ref.Kind) + ":" + strconv.Itoa(ref.ID))
	if !ok || f.NotFound {
		return UpstreamDetails{}, false
	}
	return f.Value, true
}

// get reads key through c, loading with fetch on a miss. An answer past its
// freshness is fetched again; if that fails, the old answer is returned
// with its age.
func get[V any](ctx context.Context, u *upstreamCache, c *cache.Cache[fetched[V]], key string, fetch func(context.Context) (fetched[V], error)) (fetched[V], time.Duration, error) {
	load := func(ctx context.Context) (fetched[V], time.Duration, error) {
		f, err := fetch(ctx)
		if err != nil {
			return f, 0, err
		}
		return f, u.keepFor(f.NotFound), nil
	}
	f, err := c.Get(ctx, key, load)
	if err != nil {
		return f, 0, err
	}
	age := u.now().Sub(f.At)
	if age < u.freshFor(f.NotFound) {
		return f, 0, nil
	}
	// The refresh outlives a caller that stops waiting (autocomplete's
	// budget): its answer still replaces the old one for the next caller.
	ch := u.refresh.DoChan(key, func() (any, error) {
		nf, err := fetch(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		c.Set(context.WithoutCancel(ctx), key, nf, u.keepFor(nf.NotFound))
		return nf, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			u.log.WarnContext(ctx, "upstream refresh failed; answering from the cached copy", "key", key, "age", age.Round(time.Minute), "err", res.Err)
			return f, age, nil
		}
		return res.Val.(fetched[V]), 0, nil
	case <-ctx.Done():
		return f, age, nil
	}
}

// freshFor is how long an answer is used without asking again.
func (u *upstreamCache) freshFor(notFound bool) time.Duration {
	if notFound {
		return u.ttl.Miss
	}
	return u.ttl.Fresh
}

// keepFor is how long an answer is stored: misses only while fresh, found
// answers longer, for outages.
func (u *upstreamCache) keepFor(notFound bool) time.Duration {
	if notFound {
		return u.ttl.Miss
	}
	return u.ttl.Keep
}
