package redis_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

// roundTrips counts what a client sends Redis: each command or pipeline
// processed is one round trip.
type roundTrips struct {
	n    atomic.Int64
	mu   sync.Mutex
	cmds []string
}

func (h *roundTrips) DialHook(next goredis.DialHook) goredis.DialHook { return next }

// A new connection's HELLO and setup pipeline (CLIENT SETNAME...) pass
// through the hooks too; they are dials, which the pool makes in the
// background to keep its idle connections, not a question's round trips.
func setup(cmds ...goredis.Cmder) bool {
	for _, c := range cmds {
		switch c.Name() {
		case "hello", "auth", "select", "client", "readonly":
		default:
			return false
		}
	}
	return true
}

func (h *roundTrips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		if setup(cmd) {
			return next(ctx, cmd)
		}
		h.n.Add(1)
		h.mu.Lock()
		h.cmds = append(h.cmds, cmd.Name())
		h.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		if setup(cmds...) {
			return next(ctx, cmds)
		}
		h.n.Add(1)
		h.mu.Lock()
		h.cmds = append(h.cmds, "pipeline")
		h.mu.Unlock()
		return next(ctx, cmds)
	}
}

// count runs f and returns the round trips it cost and their commands.
func (h *roundTrips) count(f func()) (int64, []string) {
	h.mu.Lock()
	h.cmds = nil
	h.mu.Unlock()
	before := h.n.Load()
	f()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n.Load() - before, append([]string(nil), h.cmds...)
}

// openCounted opens a Store whose round trips are counted.
func openCounted(t *testing.T, cfg redis.Config, prefix string) (*redis.Store, *roundTrips) {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = 2 * time.Second
	}
	s, err := redis.Open(cfg, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	h := &roundTrips{}
	s.Client().AddHook(h)
	return s, h
}

// question is a full question: event, two limits, a thread.
func question(event string, note bot.ThreadNote) bot.Admit {
	return bot.Admit{
		Scope: "slack:T1", EventKey: event, DedupeTTL: 10 * time.Minute,
		Limits: []bot.LimitCheck{
			{Key: "user:U1", Max: 3, Window: time.Minute},
			{Key: "community", Max: 300, Window: time.Minute},
		},
		ThreadKey: "C1", ThreadTTL: 30 * time.Minute, Note: note,
	}
}

// TestAdmitIsOneRoundTrip: every outcome of Admit (admitted, duplicate,
// limited, with or without a thread) costs exactly one round trip, on a
// standalone server and on Cluster; a cached profile costs none.
func TestAdmitIsOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []string{"standalone", "cluster"} {
		t.Run(mode, func(t *testing.T) {
			var cfg redis.Config
			if mode == "cluster" {
				cfg = redis.Config{Addrs: []string{redistest.StartCluster(t).Addr}, Cluster: true}
			} else {
				cfg = redis.Config{Addrs: []string{redistest.Start(t).Addr}}
			}
			s, h := openCounted(t, cfg, "")
			// The first call may cost a dial and, on Cluster, the slot map.
			if _, err := s.Admit(ctx, question("warm-up", bot.ThreadNote{})); err != nil {
				t.Fatal(err)
			}
			age := 8
			steps := []struct {
				name string
				r    bot.Admit
				want func(bot.Admission) bool
			}{
				{"admitted with a title", question("E1", bot.ThreadNote{Title: "Ballerina", Age: &age}), func(a bot.Admission) bool { return a.Admitted() && a.Thread.Title == "Ballerina" }},
				{"a follow-up", question("E2", bot.ThreadNote{}), func(a bot.Admission) bool { return a.Admitted() && a.HadThread && *a.Thread.Age == 8 }},
				{"a duplicate", question("E2", bot.ThreadNote{}), func(a bot.Admission) bool { return a.Duplicate }},
				{"limited", question("E3", bot.ThreadNote{}), func(a bot.Admission) bool { return a.LimitedBy == 0 }},
				{"no thread", bot.Admit{Scope: "slack:T1", EventKey: "E4", DedupeTTL: time.Minute}, bot.Admission.Admitted},
			}
			for _, st := range steps {
				var a bot.Admission
				var err error
				n, cmds := h.count(func() { a, err = s.Admit(ctx, st.r) })
				if err != nil || !st.want(a) {
					t.Fatalf("%s: %+v, %v", st.name, a, err)
				}
				if n != 1 {
					t.Errorf("%s: %d round trips %v; want 1", st.name, n, cmds)
				}
			}
			if n, cmds := h.count(func() { s.Admit(ctx, bot.Admit{Scope: "x"}) }); n != 0 {
				t.Errorf("an empty admission: %d round trips %v; want 0", n, cmds)
			}

			// The profile: read once, then from the cache while subscribed.
			waitLive(t, s)
			if err := s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 10}); err != nil {
				t.Fatal(err)
			}
			if n, cmds := h.count(func() { s.Profile(ctx, "slack:T1") }); n != 1 {
				t.Errorf("first profile read: %d round trips %v; want 1", n, cmds)
			}
			for range 3 {
				if n, cmds := h.count(func() {
					if p, ok, err := s.Profile(ctx, "slack:T1"); err != nil || !ok || p.Age != 10 {
						t.Errorf("Profile = %+v, %v, %v", p, ok, err)
					}
				}); n != 0 {
					t.Errorf("cached profile read: %d round trips %v; want 0", n, cmds)
				}
			}
		})
	}
}

// TestAdmitAfterScriptFlush: after Redis lost its script cache (a restart,
// SCRIPT FLUSH) Admit still works, at two round trips that once.
func TestAdmitAfterScriptFlush(t *testing.T) {
	ctx := context.Background()
	s, h := openCounted(t, redis.Config{Addrs: []string{redistest.Start(t).Addr}}, "")
	if _, err := s.Admit(ctx, question("E0", bot.ThreadNote{})); err != nil {
		t.Fatal(err)
	}
	if err := s.Client().ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int64{2, 1} {
		var a bot.Admission
		var err error
		n, cmds := h.count(func() { a, err = s.Admit(ctx, question("E"+string(rune('1'+i)), bot.ThreadNote{Title: "Ballerina"})) })
		if err != nil || !a.Admitted() {
			t.Fatalf("Admit after SCRIPT FLUSH = %+v, %v", a, err)
		}
		if n != want {
			t.Errorf("call %d after the flush: %d round trips %v; want %d", i+1, n, cmds, want)
		}
	}
}

// TestAdmitKeys pins the key layout of an admission (documented in
// docs/redis.md): one hash tag per scope, the TTLs, the conversation hash.
func TestAdmitKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := openCounted(t, redis.Config{Addrs: []string{redistest.Start(t).Addr}}, "")
	c := s.Client()
	year := 2016
	if _, err := s.Admit(ctx, question("Ev1", bot.ThreadNote{Title: "Ballerina", Year: &year})); err != nil {
		t.Fatal(err)
	}
	for key, ttl := range map[string]time.Duration{
		"advisorybot:{slack:T1}:event:Ev1":      10 * time.Minute,
		"advisorybot:{slack:T1}:rate:user:U1":   time.Minute,
		"advisorybot:{slack:T1}:rate:community": time.Minute,
		"advisorybot:{slack:T1}:conv:C1":        30 * time.Minute,
	} {
		got, err := c.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got <= 0 || got > ttl || got < ttl-5*time.Second {
			t.Errorf("%s: PTTL %v, want %v", key, got, ttl)
		}
	}
	got, err := c.HGetAll(ctx, "advisorybot:{slack:T1}:conv:C1").Result()
	if err != nil || len(got) != 2 || got["title"] != "Ballerina" || got["year"] != "2016" {
		t.Errorf("conversation hash = %v, %v; want title and year only", got, err)
	}
	// A follow-up giving an age adds the field; a new title drops the year.
	age := 7
	s.Admit(ctx, question("Ev2", bot.ThreadNote{Age: &age}))
	s.Admit(ctx, question("Ev3", bot.ThreadNote{Title: "Frozen"}))
	if got := c.HGetAll(ctx, "advisorybot:{slack:T1}:conv:C1").Val(); len(got) != 2 || got["title"] != "Frozen" || got["age"] != "7" {
		t.Errorf("conversation hash after two follow-ups = %v; want title Frozen, age 7", got)
	}
}

// TestAdmitRepairs: keys edited by hand do not break a question. A counter
// without an expiry gets one; a conversation of the wrong type or with a
// number that is not one is replaced, not returned.
func TestAdmitRepairs(t *testing.T) {
	ctx := context.Background()
	s, _ := openCounted(t, redis.Config{Addrs: []string{redistest.Start(t).Addr}}, "")
	c := s.Client()
	c.Set(ctx, "advisorybot:{slack:T1}:rate:user:U1", 99, 0)
	if a, err := s.Admit(ctx, question("E1", bot.ThreadNote{})); err != nil || a.LimitedBy != 0 {
		t.Fatalf("Admit over a stuck counter = %+v, %v; want limited", a, err)
	}
	if ttl := c.PTTL(ctx, "advisorybot:{slack:T1}:rate:user:U1").Val(); ttl <= 0 {
		t.Errorf("stuck counter still has no expiry (%v)", ttl)
	}

	r := bot.Admit{Scope: "s", ThreadKey: "t", ThreadTTL: time.Minute}
	c.Set(ctx, "advisorybot:{s}:conv:t", `{"review_id":"x"}`, 0)
	r.Note = bot.ThreadNote{Title: "Ballerina"}
	a, err := s.Admit(ctx, r)
	if err != nil || !a.Thread.Equal(bot.Thread{Title: "Ballerina"}) {
		t.Fatalf("Admit over a string key = %+v %v, %v", a, a.Thread, err)
	}
	c.HSet(ctx, "advisorybot:{s}:conv:t", "year", "nineteen", "age", "99999999999999999999")
	r.Note = bot.ThreadNote{}
	a, err = s.Admit(ctx, r)
	if err != nil || !a.Thread.Equal(bot.Thread{Title: "Ballerina"}) {
		t.Fatalf("Admit over garbage numbers = %v, %v; want them dropped", a.Thread, err)
	}
	if got := c.HGetAll(ctx, "advisorybot:{s}:conv:t").Val(); len(got) != 1 {
		t.Errorf("garbage numbers still stored: %v", got)
	}
}

// TestAdmitSeeded: a seed stands in for a conversation Redis does not have,
// and only then.
func TestAdmitSeeded(t *testing.T) {
	ctx := context.Background()
	s, _ := openCounted(t, redis.Config{Addrs: []string{redistest.Start(t).Addr}}, "")
	age := 9
	seed := &bot.Thread{Title: "Ballerina", Age: &age}
	r := bot.Admit{Scope: "s", ThreadKey: "t", ThreadTTL: time.Minute, Note: bot.ThreadNote{Title: "Frozen"}}
	a, err := s.AdmitSeeded(ctx, r, seed)
	if want := (bot.Thread{Title: "Frozen", Age: &age}); err != nil || !a.HadThread || !a.Thread.Equal(want) {
		t.Fatalf("seeded = %+v %v, %v; want %v, had thread", a, a.Thread, err, want)
	}
	r.Note = bot.ThreadNote{}
	other := &bot.Thread{Title: "Bluey"}
	if a, _ := s.AdmitSeeded(ctx, r, other); a.Thread.Title != "Frozen" {
		t.Fatalf("a seed overrode the stored thread: %v", a.Thread)
	}
}

func TestHashTag(t *testing.T) {
	scopes := []string{"", "%", "slack:T1", "a{b", "a}b", "{", "}", "a%7Bb", "a%7B", "{}", "%25"}
	seen := map[string]string{}
	for _, s := range scopes {
		tag := redis.HashTag(s)
		inner := strings.TrimSuffix(strings.TrimPrefix(tag, "{"), "}")
		if inner == "" || strings.ContainsAny(inner, "{}") || tag != "{"+inner+"}" {
			t.Errorf("HashTag(%q) = %q: not one non-empty tag", s, tag)
		}
		if other, dup := seen[tag]; dup {
			t.Errorf("scopes %q and %q share the tag %q", other, s, tag)
		}
		seen[tag] = s
	}
	if got := redis.HashTag("slack:T1"); got != "{slack:T1}" {
		t.Errorf("HashTag(slack:T1) = %q; want it unchanged", got)
	}
}

// TestAdmitOddScopesOnCluster: whatever the scope, a question's keys share
// one slot (Cluster refuses a script whose keys do not).
func TestAdmitOddScopesOnCluster(t *testing.T) {
	ctx := context.Background()
	s, _ := openCounted(t, redis.Config{Addrs: []string{redistest.StartCluster(t).Addr}, Cluster: true}, "")
	for _, scope := range []string{"", "}", "{", "a}b{c", "slack:T1"} {
		r := question("E1", bot.ThreadNote{Title: "x"})
		r.Scope = scope
		if a, err := s.Admit(ctx, r); err != nil || !a.Admitted() {
			t.Errorf("scope %q: %+v, %v", scope, a, err)
		}
	}
}

// TestBusy: a pool wait that times out is told apart from Redis being down.
// With one connection, held by a blocking command, Admit fails as Busy and
// not Unavailable; a stopped server is Unavailable and not Busy.
func TestBusy(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	s, _ := openCounted(t, redis.Config{Addrs: []string{srv.Addr}, PoolSize: 1, PoolTimeout: 100 * time.Millisecond}, "busy:")
	release := holdOnlyConnection(t, s, srv.Addr)
	_, err := s.Admit(ctx, question("E1", bot.ThreadNote{}))
	if err == nil || !redis.Busy(err) || redis.Unavailable(err) {
		t.Fatalf("Admit with the only connection held: %v; want busy, not unavailable", err)
	}
	release()
	if _, err := s.Admit(ctx, question("E1", bot.ThreadNote{})); err != nil {
		t.Fatalf("Admit once the connection is free: %v", err)
	}
	srv.Stop()
	_, err = s.Admit(ctx, question("E2", bot.ThreadNote{}))
	if err == nil || redis.Busy(err) || !redis.Unavailable(err) {
		t.Fatalf("Admit with Redis stopped: %v; want unavailable, not busy", err)
	}
}

// holdOnlyConnection makes s's client hold its one pooled connection in a
// BLPOP until release is called.
func holdOnlyConnection(t *testing.T, s *redis.Store, addr string) (release func()) {
	t.Helper()
	ctx := context.Background()
	key := "busy:hold"
	done := make(chan error, 1)
	go func() { done <- s.Client().BLPop(ctx, 30*time.Second, key).Err() }()
	// Wait until the server sees the BLPOP, from a connection of its own.
	admin := goredis.NewClient(&goredis.Options{Addr: addr})
	t.Cleanup(func() { admin.Close() })
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		list, err := admin.ClientList(ctx).Result()
		if err == nil && strings.Contains(list, "cmd=blpop") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the BLPOP never reached the server: %v %q", err, list)
		}
	}
	return func() {
		admin.RPush(ctx, key, "go")
		if err := <-done; err != nil {
			t.Errorf("BLPOP: %v", err)
		}
	}
}

// waitLive waits until s hears settings changes.
func waitLive(t *testing.T, s *redis.Store) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !redis.SettingsLive(s); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the settings subscription never came up")
		}
	}
}
