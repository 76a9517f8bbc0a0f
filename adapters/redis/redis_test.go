package redis_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

func TestClientOptions(t *testing.T) {
	t.Run("pool settings", func(t *testing.T) {
		o, err := redis.Config{Addrs: []string{"a:1"}, PoolSize: 3, MinIdleConns: 2, PoolTimeout: time.Second}.ClientOptions()
		if err != nil {
			t.Fatal(err)
		}
		if o.PoolSize != 3 || o.MinIdleConns != 2 || o.PoolTimeout != time.Second {
			t.Errorf("pool: size %d, min idle %d, wait %v; want 3, 2, 1s", o.PoolSize, o.MinIdleConns, o.PoolTimeout)
		}
		if o, _ := (redis.Config{Addrs: []string{"a:1"}, PoolSize: 1}).ClientOptions(); o.MinIdleConns != 1 {
			t.Errorf("min idle %d with a pool of 1", o.MinIdleConns)
		}
	})
	tests := []struct {
		name    string
		cfg     redis.Config
		addrs   []string
		master  string
		cluster bool
		db      int
		pass    string
		wantErr bool
	}{
		{name: "standalone URL", cfg: redis.Config{URL: "redis://:secret@cache:6380/2"}, addrs: []string{"cache:6380"}, db: 2, pass: "secret"},
		{name: "TLS URL default port", cfg: redis.Config{URL: "rediss://cache"}, addrs: []string{"cache:6379"}},
		{name: "unix socket", cfg: redis.Config{URL: "unix:///run/redis.sock"}, addrs: []string{"/run/redis.sock"}},
		{name: "sentinel URL", cfg: redis.Config{URL: "redis://s1:26379?master_name=main&addr=s2:26379"}, addrs: []string{"s1:26379", "s2:26379"}, master: "main"},
		{name: "cluster URL", cfg: redis.Config{URL: "redis://n1:7000?addr=n2:7001"}, addrs: []string{"n1:7000", "n2:7001"}, cluster: true},
		{name: "cluster endpoint URL", cfg: redis.Config{URL: "redis://cfg:7000", Cluster: true}, addrs: []string{"cfg:7000"}, cluster: true},
		{name: "one address", cfg: redis.Config{Addrs: []string{"a:1"}, Password: "p", DB: 3}, addrs: []string{"a:1"}, db: 3, pass: "p"},
		{name: "sentinel addresses", cfg: redis.Config{Addrs: []string{"a:1", "b:2"}, MasterName: "m"}, addrs: []string{"a:1", "b:2"}, master: "m"},
		{name: "bad scheme", cfg: redis.Config{URL: "http://x"}, wantErr: true},
		{name: "both", cfg: redis.Config{URL: "redis://x", Addrs: []string{"y:1"}}, wantErr: true},
		{name: "none", cfg: redis.Config{}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := tt.cfg.ClientOptions()
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error for %+v", tt.cfg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(o.Addrs, tt.addrs) || o.MasterName != tt.master || o.DB != tt.db || o.Password != tt.pass {
				t.Errorf("options: addrs %v master %q db %d password %q", o.Addrs, o.MasterName, o.DB, o.Password)
			}
			if got := o.IsClusterMode || (len(o.Addrs) > 1 && o.MasterName == ""); got != tt.cluster {
				t.Errorf("cluster = %v, want %v", got, tt.cluster)
			}
			if o.ReadTimeout != redis.DefaultTimeout || o.WriteTimeout != redis.DefaultTimeout || o.MaxRetries != -1 {
				t.Errorf("timeouts %v/%v, retries %d; want %v each and no retries", o.ReadTimeout, o.WriteTimeout, o.MaxRetries, redis.DefaultTimeout)
			}
			if o.PoolTimeout != redis.DefaultPoolTimeout || o.PoolSize != redis.DefaultPoolSize() || o.MinIdleConns != runtime.GOMAXPROCS(0) {
				t.Errorf("pool: size %d, min idle %d, wait %v; want %d, GOMAXPROCS, %v", o.PoolSize, o.MinIdleConns, o.PoolTimeout, redis.DefaultPoolSize(), redis.DefaultPoolTimeout)
			}
		})
	}
}

func TestUnavailable(t *testing.T) {
	srv := redistest.Start(t)
	s, err := redis.Open(redis.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "u:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	c := s.Client()
	// A profile holding something else than JSON: a data problem.
	c.HSet(ctx, "u:settings:slack:bad", "profile", "not json")
	_, _, corrupt := s.Profile(ctx, "slack:bad")
	// A settings key of the wrong type: a command error.
	c.Set(ctx, "u:settings:slack:T", "x", 0)
	_, _, wrongType := s.Profile(ctx, "slack:T")
	srv.Stop()
	_, _, down := s.Get(ctx, "k")
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"corrupt value", corrupt, false},
		{"wrong type", wrongType, false},
		{"server down", down, true},
		{"timeout", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"loading", errors.New("LOADING Redis is loading the dataset in memory"), true},
		{"pool wait", fmt.Errorf("x: %w", goredis.ErrPoolTimeout), false},
		{"invalid request", fmt.Errorf("x: %w", bot.ErrInvalidAdmit), false},
	} {
		if tc.name != "nil" && tc.err == nil {
			t.Fatalf("%s: no error to classify", tc.name)
		}
		if got := redis.Unavailable(tc.err); got != tc.want {
			t.Errorf("Unavailable(%s: %v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// TestKeys pins the key layout (documented in docs/redis.md) and TTLs.
func TestKeys(t *testing.T) {
	srv := redistest.Start(t)
	s, err := redis.Open(redis.Config{Addrs: []string{srv.Addr}, Timeout: time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	c := s.Client()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Set(ctx, "upstream:search:ballerina:0", []byte("x"), time.Hour))
	_, err = s.Allow(ctx, "tmdb", 35, time.Minute)
	must(err)
	must(s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 8}))
	for key, ttl := range map[string]time.Duration{
		"advisorybot:cache:upstream:search:ballerina:0": time.Hour,
		"advisorybot:rate:tmdb":                         time.Minute,
		"advisorybot:settings:slack:T1":                 -1, // no expiry
	} {
		got, err := c.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl < 0 && got != -1 || ttl > 0 && (got <= 0 || got > ttl || got < ttl-5*time.Second) {
			t.Errorf("%s: PTTL %v, want %v", key, got, ttl)
		}
	}
	if v := c.HGet(ctx, "advisorybot:settings:slack:T1", "profile").Val(); v != `{"age":8}` {
		t.Errorf("settings hash field profile = %q", v)
	}
	// A counter left without an expiry is repaired rather than blocking forever.
	c.Set(ctx, "advisorybot:rate:stuck", 99, 0)
	if ok, err := s.Allow(ctx, "stuck", 5, time.Minute); err != nil || ok {
		t.Fatalf("Allow over the limit = %v, %v", ok, err)
	}
	if ttl := c.PTTL(ctx, "advisorybot:rate:stuck").Val(); ttl <= 0 {
		t.Errorf("stuck counter still has no expiry (%v)", ttl)
	}
	// After Redis lost its script cache (a restart, SCRIPT FLUSH) Allow still works.
	must(c.ScriptFlush(ctx).Err())
	if ok, err := s.Allow(ctx, "after-flush", 5, time.Minute); err != nil || !ok {
		t.Fatalf("Allow after SCRIPT FLUSH = %v, %v", ok, err)
	}
}
