package cache

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// mapStore is an L2 that counts round trips and can fail.
type mapStore struct {
	mu         sync.Mutex
	m          map[string][]byte
	ttl        map[string]time.Duration
	gets, sets atomic.Int64
	fail       atomic.Bool
}

func newMapStore() *mapStore {
	return &mapStore{m: map[string][]byte{}, ttl: map[string]time.Duration{}}
}

func (s *mapStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.gets.Add(1)
	if s.fail.Load() {
		return nil, false, errors.New("store down")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	return b, ok, nil
}

func (s *mapStore) Set(_ context.Context, key string, v []byte, ttl time.Duration) error {
	s.sets.Add(1)
	if s.fail.Load() {
		return errors.New("store down")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key], s.ttl[key] = v, ttl
	return nil
}

func intCache(l2 Store, size int, now func() time.Time) *Cache[int] {
	return New(Options[int]{
		L2: l2, Size: size, Now: now,
		Encode: func(v int) []byte { return []byte(strconv.Itoa(v)) },
		Decode: func(b []byte) (int, bool) { v, err := strconv.Atoi(string(b)); return v, err == nil },
	})
}

func loader(calls *atomic.Int64, v int, ttl time.Duration) Loader[int] {
	return func(context.Context) (int, time.Duration, error) {
		calls.Add(1)
		return v, ttl, nil
	}
}

func TestTiers(t *testing.T) {
	ctx := context.Background()
	l2 := newMapStore()
	var calls atomic.Int64
	a := intCache(l2, DefaultSize, nil)

	// Miss everywhere: one load, written to L2 with the load's ttl.
	if v, err := a.Get(ctx, "k", loader(&calls, 7, time.Minute)); err != nil || v != 7 {
		t.Fatalf("Get = %d, %v", v, err)
	}
	if calls.Load() != 1 || l2.sets.Load() != 1 || l2.ttl["k"] != time.Minute {
		t.Fatalf("loads %d, L2 sets %d, ttl %v; want 1, 1, 1m", calls.Load(), l2.sets.Load(), l2.ttl["k"])
	}
	// L1 hit: no round trip.
	gets := l2.gets.Load()
	if v, _ := a.Get(ctx, "k", loader(&calls, 0, time.Minute)); v != 7 {
		t.Fatalf("L1 hit = %d", v)
	}
	if l2.gets.Load() != gets || calls.Load() != 1 {
		t.Fatal("an L1 hit touched L2 or loaded")
	}
	// Another replica (empty L1): exactly one L2 GET, no load.
	b := intCache(l2, DefaultSize, nil)
	gets = l2.gets.Load()
	if v, _ := b.Get(ctx, "k", loader(&calls, 0, time.Minute)); v != 7 {
		t.Fatalf("L2 hit = %d", v)
	}
	if l2.gets.Load()-gets != 1 || calls.Load() != 1 {
		t.Fatalf("L2 hit: %d GETs and %d loads; want 1 and 1", l2.gets.Load()-gets, calls.Load())
	}
	// And now it is in b's L1 too.
	gets = l2.gets.Load()
	b.Get(ctx, "k", loader(&calls, 0, time.Minute))
	if l2.gets.Load() != gets {
		t.Fatal("second read on b went to L2")
	}
}

func TestExpiryFollowsL2(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Unix(5000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	l2 := newMapStore()
	var calls atomic.Int64
	a := intCache(l2, DefaultSize, clock)
	a.Get(ctx, "neg", loader(&calls, 0, 10*time.Second))
	advance(6 * time.Second)
	// A replica reading it from L2 keeps it only for the 4s left.
	b := intCache(l2, DefaultSize, clock)
	b.Get(ctx, "neg", loader(&calls, 0, 10*time.Second))
	l2.fail.Store(true) // from here on only L1 can answer without a load
	advance(3 * time.Second)
	b.Get(ctx, "neg", loader(&calls, 0, 10*time.Second))
	if calls.Load() != 1 {
		t.Fatalf("loads = %d before the L2 expiry; want 1", calls.Load())
	}
	advance(2 * time.Second)
	b.Get(ctx, "neg", loader(&calls, 0, 10*time.Second))
	if calls.Load() != 2 {
		t.Fatalf("loads = %d after the L2 expiry; want 2 (L1 outlived L2)", calls.Load())
	}
}

func TestSingleflight(t *testing.T) {
	for _, tc := range []struct {
		name string
		l2   bool
		size int
	}{{"L1 and L2", true, DefaultSize}, {"L2 only", true, 0}, {"L1 only", false, DefaultSize}} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var l2 Store
				ms := newMapStore()
				if tc.l2 {
					l2 = ms
				}
				c := intCache(l2, tc.size, nil)
				var calls atomic.Int64
				release := make(chan struct{})
				slow := func(context.Context) (int, time.Duration, error) {
					calls.Add(1)
					<-release
					return 42, time.Minute, nil
				}
				const n = 100
				var wg sync.WaitGroup
				results := make(chan int, n)
				for range n {
					wg.Go(func() {
						v, err := c.Get(context.Background(), "same", slow)
						if err != nil {
							t.Error(err)
						}
						results <- v
					})
				}
				synctest.Wait() // every caller is now in the flight or waiting on it
				close(release)
				wg.Wait()
				close(results)
				for v := range results {
					if v != 42 {
						t.Fatalf("a caller got %d", v)
					}
				}
				if calls.Load() != 1 {
					t.Fatalf("%d concurrent misses ran %d loads; want 1", n, calls.Load())
				}
				if tc.l2 && ms.gets.Load() != 1 {
					t.Fatalf("%d concurrent misses made %d L2 reads; want 1", n, ms.gets.Load())
				}
			})
		})
	}
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("L2 down is a miss", func(t *testing.T) {
		l2 := newMapStore()
		l2.fail.Store(true)
		var logs bytes.Buffer
		c := New(Options[int]{
			L2: l2, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Encode: func(v int) []byte { return []byte(strconv.Itoa(v)) },
			Decode: func(b []byte) (int, bool) { v, err := strconv.Atoi(string(b)); return v, err == nil },
		})
		var calls atomic.Int64
		if v, err := c.Get(ctx, "k", loader(&calls, 3, time.Minute)); err != nil || v != 3 || calls.Load() != 1 {
			t.Fatalf("Get = %d, %v after %d loads; want 3 from one load", v, err, calls.Load())
		}
		if n := strings.Count(logs.String(), "level=DEBUG"); n != 2 || !strings.Contains(logs.String(), "store down") {
			t.Fatalf("%d debug lines; want 2 (read and write failed), with the cause:\n%s", n, &logs)
		}
	})
	t.Run("undecodable L2 value is a miss", func(t *testing.T) {
		l2 := newMapStore()
		l2.m["k"] = []byte("\x00\x00\x01\x00\x00\x00\x00\x00not a number")
		var calls atomic.Int64
		if v, _ := intCache(l2, DefaultSize, nil).Get(ctx, "k", loader(&calls, 5, time.Minute)); v != 5 || calls.Load() != 1 {
			t.Fatalf("Get = %d after %d loads", v, calls.Load())
		}
	})
	t.Run("load error is returned and not cached", func(t *testing.T) {
		c := intCache(newMapStore(), DefaultSize, nil)
		boom := errors.New("boom")
		if _, err := c.Get(ctx, "k", func(context.Context) (int, time.Duration, error) { return 0, 0, boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		var calls atomic.Int64
		if v, _ := c.Get(ctx, "k", loader(&calls, 9, time.Minute)); v != 9 || calls.Load() != 1 {
			t.Fatal("the error was cached")
		}
	})
	t.Run("cancelled caller does not cancel the shared load", func(t *testing.T) {
		c := intCache(newMapStore(), DefaultSize, nil)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		loaded := make(chan struct{})
		_, _ = c.Get(cctx, "k", func(ctx context.Context) (int, time.Duration, error) {
			defer close(loaded)
			return 1, time.Minute, ctx.Err()
		})
		<-loaded
		var calls atomic.Int64
		if v, err := c.Get(ctx, "k", loader(&calls, 2, time.Minute)); err != nil || v != 1 || calls.Load() != 0 {
			t.Fatalf("Get = %d, %v after %d loads; the load begun for a cancelled caller must still fill the cache", v, err, calls.Load())
		}
	})
	t.Run("a caller waits no longer than its deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c := intCache(newMapStore(), DefaultSize, nil)
			release := make(chan struct{})
			slow := func(context.Context) (int, time.Duration, error) { <-release; return 3, time.Minute, nil }
			dctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			start := time.Now()
			if _, err := c.Get(dctx, "k", slow); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
				t.Fatalf("Get returned %v after %v; want the deadline after 1s", err, time.Since(start))
			}
			close(release)
			synctest.Wait()
			var calls atomic.Int64
			if v, _ := c.Get(ctx, "k", loader(&calls, 4, time.Minute)); v != 3 || calls.Load() != 0 {
				t.Fatalf("Get = %d after %d loads; the slow load should have filled the cache", v, calls.Load())
			}
		})
	})
}

// BenchmarkGet is the cache alone: an L1 hit, and an L2 hit with L1 off.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	var calls atomic.Int64
	for _, bc := range []struct {
		name string
		size int
	}{{"L1", DefaultSize}, {"L2_map", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			c := intCache(newMapStore(), bc.size, nil)
			load := loader(&calls, 1, time.Hour)
			c.Get(ctx, "lookup:0123456789abcdef:ballerina:2023", load)
			b.ReportAllocs()
			for b.Loop() {
				c.Get(ctx, "lookup:0123456789abcdef:ballerina:2023", load)
			}
		})
	}
}

// TestL2Prefix: the prefix is on L2 keys only, so caches with different
// prefixes (catalog versions) never read each other's values.
func TestL2Prefix(t *testing.T) {
	ctx := context.Background()
	l2 := newMapStore()
	var calls atomic.Int64
	mk := func(prefix string) *Cache[int] {
		return New(Options[int]{
			L2: l2, L2Prefix: prefix,
			Encode: func(v int) []byte { return []byte(strconv.Itoa(v)) },
			Decode: func(b []byte) (int, bool) { v, err := strconv.Atoi(string(b)); return v, err == nil },
		})
	}
	if v, _ := mk("v1:").Get(ctx, "k", loader(&calls, 1, time.Minute)); v != 1 {
		t.Fatalf("v1 = %d", v)
	}
	if _, ok := l2.m["v1:k"]; !ok || len(l2.m) != 1 {
		t.Fatalf("L2 keys %v, want only v1:k", l2.m)
	}
	if v, _ := mk("v2:").Get(ctx, "k", loader(&calls, 2, time.Minute)); v != 2 {
		t.Fatalf("v2 read %d, want its own load", v)
	}
	if v, _ := mk("v1:").Get(ctx, "k", loader(&calls, 3, time.Minute)); v != 1 || calls.Load() != 2 {
		t.Fatalf("a second v1 cache read %d after %d loads; want 1 from L2 after 2", v, calls.Load())
	}
}

// TestObserve: every step of a Get is reported once, with its tier and result.
func TestObserve(t *testing.T) {
	ctx := context.Background()
	ok := func(v int) Loader[int] {
		return func(context.Context) (int, time.Duration, error) { return v, time.Minute, nil }
	}
	fail := func(context.Context) (int, time.Duration, error) { return 0, 0, errors.New("boom") }
	l2 := newMapStore()
	rec := &recorder{}
	mk := func(size int) *Cache[int] {
		return New(Options[int]{
			L2: l2, Size: size, Observe: rec.observe,
			Encode: func(v int) []byte { return []byte(strconv.Itoa(v)) },
			Decode: func(b []byte) (int, bool) { v, err := strconv.Atoi(string(b)); return v, err == nil },
		})
	}
	a, b := mk(DefaultSize), mk(0) // b has no L1
	for _, s := range []struct {
		name string
		c    *Cache[int]
		key  string
		load Loader[int]
		want string
	}{
		{"cold: misses both tiers, loads", a, "k", ok(1), "l1/miss l2/miss load/ok"},
		{"warm: L1 hit", a, "k", ok(2), "l1/hit"},
		{"no L1: L2 hit", b, "k", ok(3), "l2/hit"},
		{"failed load", a, "other", fail, "l1/miss l2/miss load/error"},
	} {
		rec.events = nil
		if _, err := s.c.Get(ctx, s.key, s.load); (err != nil) != strings.Contains(s.want, "error") {
			t.Fatalf("%s: err %v", s.name, err)
		}
		if got := strings.Join(rec.events, " "); got != s.want {
			t.Errorf("%s: events %q, want %q", s.name, got, s.want)
		}
	}
}

type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) observe(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e.Tier()+"/"+e.Result())
}
