package storetest

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

func TestMemoryStore(t *testing.T) {
	testStore(t, func(*testing.T) store { return memory.New() })
}

func TestRedisStore(t *testing.T) {
	srv := redistest.Start(t)
	testStore(t, func(t *testing.T) store { return openRedis(t, srv.Addr, newPrefix(t), generous) })
}

// TestRedisStoreCluster runs the contract through a Cluster client (a
// one-node cluster owning every slot): every operation is on one key.
func TestRedisStoreCluster(t *testing.T) {
	srv := redistest.StartCluster(t)
	testStore(t, func(t *testing.T) store {
		return openRedisConfig(t, redisstore.Config{Addrs: []string{srv.Addr}, Cluster: true, Timeout: generous}, newPrefix(t))
	})
}

// TestRedisStoreSentinel runs the contract through Sentinel discovery.
func TestRedisStoreSentinel(t *testing.T) {
	_, sentinel := redistest.StartSentinel(t)
	testStore(t, func(t *testing.T) store {
		return openRedisConfig(t, redisstore.Config{URL: "redis://" + sentinel.Addr + "?master_name=mymaster", Timeout: generous}, newPrefix(t))
	})
}

func TestFailoverStoreHealthy(t *testing.T) {
	srv := redistest.Start(t)
	testStore(t, func(t *testing.T) store {
		return newFailover(t, openRedis(t, srv.Addr, newPrefix(t), generous), nil)
	})
}

// TestFailoverStoreDegraded runs the contract with Redis unreachable from
// the start: the fallback must keep every promise.
func TestFailoverStoreDegraded(t *testing.T) {
	addr := deadAddr(t)
	testStore(t, func(t *testing.T) store {
		return newFailover(t, openRedis(t, addr, newPrefix(t), 50*time.Millisecond), nil)
	})
}

// short is a TTL that tests wait out.
const short = 150 * time.Millisecond

// testStore is the contract of every shared-state backend.
func testStore(t *testing.T, newStore func(t *testing.T) store) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s store)
	}{
		{"cache miss", func(t *testing.T, s store) {
			if _, ok, err := s.Get(ctx, "absent"); ok || err != nil {
				t.Fatalf("Get(absent) = %v, %v; want a miss", ok, err)
			}
		}},
		{"cache hit", func(t *testing.T, s store) {
			mustNil(t, s.Set(ctx, "k", []byte("v1"), time.Minute))
			b, ok, err := s.Get(ctx, "k")
			if err != nil || !ok || string(b) != "v1" {
				t.Fatalf("Get = %q, %v, %v; want v1", b, ok, err)
			}
		}},
		{"cache overwrite", func(t *testing.T, s store) {
			mustNil(t, s.Set(ctx, "k", []byte("v1"), time.Minute))
			mustNil(t, s.Set(ctx, "k", []byte("v2"), time.Minute))
			if b, _, _ := s.Get(ctx, "k"); string(b) != "v2" {
				t.Fatalf("Get = %q; want v2", b)
			}
		}},
		{"cache binary and empty values", func(t *testing.T, s store) {
			bin := []byte{0, 1, 2, 255, '\n'}
			mustNil(t, s.Set(ctx, "bin", bin, time.Minute))
			mustNil(t, s.Set(ctx, "empty", []byte{}, time.Minute))
			if b, ok, _ := s.Get(ctx, "bin"); !ok || !bytes.Equal(b, bin) {
				t.Errorf("binary value came back as %v", b)
			}
			if b, ok, _ := s.Get(ctx, "empty"); !ok || len(b) != 0 {
				t.Errorf("empty value: %v, %v; want a hit with no bytes", b, ok)
			}
		}},
		{"cache value is a copy", func(t *testing.T, s store) {
			v := []byte("abc")
			mustNil(t, s.Set(ctx, "k", v, time.Minute))
			v[0] = 'X'
			b, _, _ := s.Get(ctx, "k")
			b[1] = 'Y'
			if b2, _, _ := s.Get(ctx, "k"); string(b2) != "abc" {
				t.Fatalf("stored value changed to %q through a caller's slice", b2)
			}
		}},
		{"cache keys are independent", func(t *testing.T, s store) {
			mustNil(t, s.Set(ctx, "a", []byte("1"), time.Minute))
			if _, ok, _ := s.Get(ctx, "b"); ok {
				t.Fatal("b hit after setting a")
			}
		}},
		{"cache expires", func(t *testing.T, s store) {
			mustNil(t, s.Set(ctx, "k", []byte("v"), short))
			time.Sleep(short + 50*time.Millisecond)
			if _, ok, _ := s.Get(ctx, "k"); ok {
				t.Fatal("served after its ttl")
			}
		}},
		{"rate limit", func(t *testing.T, s store) {
			for i, want := range []bool{true, true, true, false, false} {
				if got, err := s.Allow(ctx, "user:u1", 3, time.Minute); err != nil || got != want {
					t.Fatalf("event %d: Allow = %v, %v; want %v", i+1, got, err, want)
				}
			}
			mustTrue(t)(s.Allow(ctx, "user:u2", 3, time.Minute))
		}},
		{"rate window resets", func(t *testing.T, s store) {
			mustTrue(t)(s.Allow(ctx, "k", 1, short))
			if ok, _ := s.Allow(ctx, "k", 1, short); ok {
				t.Fatal("second event in the window allowed")
			}
			time.Sleep(short + 50*time.Millisecond)
			mustTrue(t)(s.Allow(ctx, "k", 1, short))
		}},
		{"rate limit concurrent", func(t *testing.T, s store) {
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for range 40 {
				wg.Go(func() {
					if ok, err := s.Allow(ctx, "burst", 10, time.Minute); err != nil {
						t.Error(err)
					} else if ok {
						allowed.Add(1)
					}
				})
			}
			wg.Wait()
			if allowed.Load() != 10 {
				t.Fatalf("%d of 40 concurrent events allowed; want the limit, 10", allowed.Load())
			}
		}},
		{"profile unknown", func(t *testing.T, s store) {
			if _, ok, err := s.Profile(ctx, "slack:T0"); ok || err != nil {
				t.Fatalf("Profile = %v, %v; want none", ok, err)
			}
		}},
		{"profile set and changed", func(t *testing.T, s store) {
			mustNil(t, s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 8}))
			mustNil(t, s.SetProfile(ctx, "discord:G1", bot.Profile{Age: 15}))
			mustNil(t, s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 10}))
			for community, want := range map[string]int{"slack:T1": 10, "discord:G1": 15} {
				if p, ok, err := s.Profile(ctx, community); err != nil || !ok || p.Age != want {
					t.Errorf("Profile(%s) = %+v, %v, %v; want age %d", community, p, ok, err, want)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
	t.Run("admit", func(t *testing.T) {
		t.Parallel()
		testGate(t, func(t *testing.T) bot.Gate { return newStore(t) })
	})
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustTrue(t)(s.Allow(...)) fails the test unless the call says true.
func mustTrue(t *testing.T) func(bool, error) {
	return func(ok bool, err error) {
		t.Helper()
		if err != nil || !ok {
			t.Fatalf("got %v, %v; want true", ok, err)
		}
	}
}
