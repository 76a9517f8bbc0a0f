// Package cache is a two-tier read-through cache: a bounded in-process tier
// (L1) in front of a shared store (L2, e.g. Redis), with concurrent misses for
// one key collapsed into a single load.
//
// A hit in L1 costs no round trip; a hit in L2 costs exactly one (a GET). A
// value lives in L2 for the ttl its load returned, and L2 values carry their
// expiry so that L1 keeps a copy no longer than L2 does.
//
// It is for lookups that cost a network call, such as an upstream title
// database's answers, each source under its own key prefix and value type.
// Catalog searches are in memory and are not cached.
package cache

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"advisorybot/internal/lru"
)

// Store is the shared tier; bot.Cache satisfies it.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Options configure a Cache.
type Options[V any] struct {
	// L2 is the shared tier; nil keeps values in process only.
	L2 Store
	// L2Prefix is put before every key in L2 only: it carries what L1 does
	// not need to tell keys apart, such as the catalog version of a cache
	// made for one catalog, without building longer keys for L1 hits.
	L2Prefix string
	// Size bounds L1 in entries; 0 turns L1 off.
	Size int
	// Encode and Decode turn a value into L2 bytes and back. Decode reports
	// false for bytes it cannot use; they count as a miss. Both are required
	// when L2 is set.
	Encode func(V) []byte
	Decode func([]byte) (V, bool)
	// Logger gets L2 failures at debug level: a caller that wants one line
	// per outage wraps L2 (see adapters/failover).
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is told what each step of a Get found (metrics).
	// It must be quick and safe for concurrent use.
	Observe func(Event)
}

// Event is what one step of a Get found: a tier's hit or miss, or a load.
type Event uint8

// Events. Concurrent callers that miss L1 for one key share one L2 read
// and one load, so L2 and load events are counted once per shared fill.
const (
	L1Hit Event = iota
	L1Miss
	L2Hit
	L2Miss // includes an L2 read that failed or held bytes Decode refused
	Loaded
	LoadFailed
)

// Tier is "l1", "l2" or "load".
func (e Event) Tier() string {
	switch e {
	case L1Hit, L1Miss:
		return "l1"
	case L2Hit, L2Miss:
		return "l2"
	}
	return "load"
}

// Result is "hit" or "miss" for a tier, "ok" or "error" for a load.
func (e Event) Result() string {
	switch e {
	case L1Hit, L2Hit:
		return "hit"
	case L1Miss, L2Miss:
		return "miss"
	case Loaded:
		return "ok"
	}
	return "error"
}

// DefaultSize is a good L1 capacity: a few MB of short values.
const DefaultSize = 10_000

// Loader computes a value on a miss and says for how long to keep it.
type Loader[V any] func(ctx context.Context) (V, time.Duration, error)

// Cache is safe for concurrent use.
type Cache[V any] struct {
	l1      *lru.Cache[V] // nil when disabled
	l2      Store
	prefix  string // of L2 keys
	encode  func(V) []byte
	decode  func([]byte) (V, bool)
	log     *slog.Logger
	now     func() time.Time
	observe func(Event)
	flight  singleflight.Group
}

// New returns a Cache.
func New[V any](o Options[V]) *Cache[V] {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.L2 != nil && (o.Encode == nil || o.Decode == nil) {
		panic("cache: Encode and Decode are required with an L2 store")
	}
	if o.Observe == nil {
		o.Observe = func(Event) {}
	}
	c := &Cache[V]{l2: o.L2, prefix: o.L2Prefix, encode: o.Encode, decode: o.Decode, log: o.Logger, now: o.Now, observe: o.Observe}
	if o.Size > 0 {
		c.l1 = lru.New[V](o.Size, o.Now)
	}
	return c
}

// Get returns the value for key: from L1, else L2, else load. Concurrent
// callers missing the same key share one L2 read and one load. A load error
// is returned and nothing is cached; an L2 failure is treated as a miss.
func (c *Cache[V]) Get(ctx context.Context, key string, load Loader[V]) (V, error) {
	if c.l1 != nil {
		if v, ok := c.l1.Get(key); ok {
			c.observe(L1Hit)
			return v, nil
		}
		c.observe(L1Miss)
	}
	// The shared work must not die with the first caller's context: the
	// others are waiting on it, and a result that comes after this
	// caller's deadline still fills the cache. The stores' and the
	// loader's own timeouts bound it; each caller waits only as long as
	// its own context allows.
	shared := context.WithoutCancel(ctx)
	ch := c.flight.DoChan(key, func() (any, error) {
		return c.fill(shared, key, load)
	})
	var zero V
	select {
	case res := <-ch:
		if res.Err != nil {
			return zero, res.Err
		}
		return res.Val.(V), nil
	case <-ctx.Done():
		return zero, fmt.Errorf("waiting for %s: %w", key, context.Cause(ctx))
	}
}

// Peek returns key's value from the in-process tier only: no round trip,
// no load.
func (c *Cache[V]) Peek(key string) (V, bool) {
	if c.l1 == nil {
		var zero V
		return zero, false
	}
	return c.l1.Get(key)
}

func (c *Cache[V]) fill(ctx context.Context, key string, load Loader[V]) (V, error) {
	if c.l1 != nil {
		// A flight that ended just before this one began may have filled it.
		if v, ok := c.l1.Get(key); ok {
			return v, nil
		}
	}
	if c.l2 != nil {
		if v, ok := c.fromL2(ctx, key); ok {
			c.observe(L2Hit)
			return v, nil
		}
		c.observe(L2Miss)
	}
	v, ttl, err := load(ctx)
	if err != nil {
		c.observe(LoadFailed)
		var zero V
		return zero, fmt.Errorf("loading %s: %w", key, err)
	}
	c.observe(Loaded)
	c.Set(ctx, key, v, ttl)
	return v, nil
}

func (c *Cache[V]) fromL2(ctx context.Context, key string) (V, bool) {
	var zero V
	b, ok, err := c.l2.Get(ctx, c.prefix+key)
	if err != nil {
		c.log.DebugContext(ctx, "shared cache read failed; recomputing", "key", c.prefix+key, "err", err)
		return zero, false
	}
	if !ok || len(b) < 8 {
		return zero, false
	}
	v, ok := c.decode(b[8:])
	if !ok {
		return zero, false
	}
	if c.l1 != nil {
		left := time.UnixMilli(int64(binary.BigEndian.Uint64(b))).Sub(c.now())
		c.l1.Set(key, v, left) // left <= 0 (clock skew) stores nothing
	}
	return v, true
}

// Set stores v under key in both tiers for ttl, replacing what was there:
// for a value refreshed outside Get (an answer past its freshness).
func (c *Cache[V]) Set(ctx context.Context, key string, v V, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	if c.l2 != nil {
		payload := c.encode(v)
		b := make([]byte, 8+len(payload))
		binary.BigEndian.PutUint64(b, uint64(c.now().Add(ttl).UnixMilli()))
		copy(b[8:], payload)
		if err := c.l2.Set(ctx, c.prefix+key, b, ttl); err != nil {
			c.log.DebugContext(ctx, "shared cache write failed", "key", c.prefix+key, "err", err)
		}
	}
	if c.l1 != nil {
		c.l1.Set(key, v, ttl)
	}
}
