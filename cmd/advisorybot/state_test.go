package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

func testEnv(vars map[string]string) (*environment, *syncbuf.Buffer) {
	logs := &syncbuf.Buffer{}
	return &environment{ctx: context.Background(), getenv: func(k string) string { return vars[k] }, log: newLogger(logs, "debug")}, logs
}

func TestStateMemoryByDefault(t *testing.T) {
	e, logs := testEnv(nil)
	st, closeState, err := e.state(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeState()
	if _, ok := st.store.(*memory.Store); !ok {
		t.Fatalf("store is %T, want the in-memory store", st.store)
	}
	if want := bot.DefaultLimits(); st.limits != want {
		t.Errorf("limits %+v, want %+v", st.limits, want)
	}
	if !strings.Contains(logs.String(), "lost on restart") {
		t.Errorf("no warning that settings do not survive a restart:\n%s", logs)
	}
}

func TestStateLimitsFromEnv(t *testing.T) {
	e, _ := testEnv(map[string]string{
		"ADVISORYBOT_USER_RATE_PER_MINUTE": "5", "ADVISORYBOT_COMMUNITY_RATE_PER_MINUTE": "50",
		"ADVISORYBOT_DEDUPE_TTL": "1m", "ADVISORYBOT_CONVERSATION_TTL": "5m", "ADVISORYBOT_LOCAL_CACHE_SIZE": "0",
	})
	st, closeState, err := e.state(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeState()
	want := bot.Limits{UserPerMinute: 5, CommunityPerMinute: 50, DedupeTTL: time.Minute, ConversationTTL: 5 * time.Minute, LocalCacheSize: 0}
	if st.limits != want {
		t.Errorf("limits %+v, want %+v", st.limits, want)
	}
}

func TestStateBadEnv(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"duration":      {"ADVISORYBOT_DEDUPE_TTL": "an hour"},
		"negative rate": {"ADVISORYBOT_USER_RATE_PER_MINUTE": "-1"},
		"zero rate":     {"ADVISORYBOT_COMMUNITY_RATE_PER_MINUTE": "0"},
		"redis url":     {"REDIS_URL": "http://localhost"},
		"url and addrs": {"REDIS_URL": "redis://a:1", "REDIS_ADDRS": "b:2"},
		"timeout":       {"REDIS_URL": "redis://a:1", "REDIS_TIMEOUT": "fast"},
	} {
		t.Run(name, func(t *testing.T) {
			e, _ := testEnv(vars)
			if _, _, err := e.state(nil); err == nil {
				t.Fatalf("no error for %v", vars)
			}
		})
	}
}

func TestStateRedis(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	vars := map[string]string{"REDIS_URL": "redis://" + srv.Addr, "REDIS_PREFIX": "cmdtest:", "REDIS_TIMEOUT": "200ms"}
	e, _ := testEnv(vars)
	st, closeState, err := e.state(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := st.store.(*failover.Failover)
	if !ok || !f.Healthy() {
		t.Fatalf("store %T healthy=%v; want Redis with failover, healthy", st.store, ok && f.Healthy())
	}
	if err := st.SetProfile(ctx, "slack:T1", bot.Profile{Age: 7}); err != nil {
		t.Fatal(err)
	}
	closeState()
	// The bot restarts: the settings are still there.
	st, closeState, err = e.state(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeState()
	if p, ok, err := st.Profile(ctx, "slack:T1"); err != nil || !ok || p.Age != 7 {
		t.Fatalf("after a restart: %+v, %v, %v; want age 7", p, ok, err)
	}
}

func TestStateRedisDownAtStart(t *testing.T) {
	addr := freeAddr(t)
	e, logs := testEnv(map[string]string{"REDIS_ADDRS": addr})
	st, closeState, err := e.state(nil)
	if err != nil {
		t.Fatalf("a Redis that is down at start must not stop the bot: %v", err)
	}
	defer closeState()
	adm, err := st.Admit(context.Background(), bot.Admit{Scope: "t:c", EventKey: "E1", DedupeTTL: time.Minute})
	if err != nil || !adm.Admitted() {
		t.Fatalf("Admit on memory = %+v, %v; want admitted", adm, err)
	}
	if n := strings.Count(logs.String(), "level=WARN msg=\"redis unavailable"); n != 1 {
		t.Fatalf("%d outage warnings; want 1:\n%s", n, logs)
	}
}
