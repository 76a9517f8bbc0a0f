package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

// TestPoolWaitIsNotAnOutage: a replica whose connection pool is exhausted
// (here: a pool of one, held by a blocking command) is saturated, not
// facing an outage. The operations that found no connection in time are
// answered from memory and counted, the failover stays on Redis and logs
// no outage, and the next operation uses Redis again.
func TestPoolWaitIsNotAnOutage(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	prefix := newPrefix(t)
	primary := openRedisConfig(t, redisstore.Config{
		Addrs: []string{srv.Addr}, Timeout: generous, PoolSize: 1, PoolTimeout: 100 * time.Millisecond,
	}, prefix)
	var logs syncbuf.Buffer
	f := newFailover(t, primary, debugLogger(&logs))
	f.Check(ctx)
	if !f.Healthy() {
		t.Fatalf("not on Redis at start:\n%s", logs.String())
	}

	release := holdOnlyConnection(t, primary, srv.Addr)
	r := bot.Admit{Scope: "slack:T1", EventKey: "E1", DedupeTTL: time.Minute, ThreadKey: "C1", ThreadTTL: time.Minute, Note: bot.ThreadNote{Title: "Ballerina"}}
	if a, err := f.Admit(ctx, r); err != nil || !a.Admitted() {
		t.Fatalf("Admit with the pool exhausted: %+v, %v; want admitted from memory", a, err)
	}
	if _, _, err := f.Get(ctx, "lookup"); err != nil {
		t.Fatalf("Get with the pool exhausted: %v", err)
	}
	if !f.Healthy() || strings.Contains(logs.String(), "redis unavailable") {
		t.Fatalf("an exhausted pool was taken for an outage:\n%s", logs.String())
	}
	if f.Busy() != 2 {
		t.Errorf("Busy() = %d; want 2", f.Busy())
	}
	release()

	// Redis is used again at once: the event answered from memory is not in
	// Redis, so Redis admits it (memory alone would call it a duplicate).
	if a, err := f.Admit(ctx, r); err != nil || !a.Admitted() {
		t.Fatalf("Admit after the pool freed up: %+v, %v; want admitted by Redis", a, err)
	}
	if n := primary.Client().Exists(ctx, prefix+"{slack:T1}:event:E1").Val(); n != 1 {
		t.Errorf("the event is not marked in Redis after the pool freed up")
	}
}

// holdOnlyConnection makes s's client hold its one pooled connection in a
// BLPOP until release is called.
func holdOnlyConnection(t *testing.T, s *redisstore.Store, addr string) (release func()) {
	t.Helper()
	ctx := context.Background()
	key := "hold:" + t.Name()
	done := make(chan error, 1)
	go func() { done <- s.Client().BLPop(ctx, 30*time.Second, key).Err() }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		list, err := redistest.Command(addr, "CLIENT LIST")
		if err == nil && strings.Contains(list, "cmd=blpop") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the BLPOP never reached the server: %v %q", err, list)
		}
	}
	return func() {
		if _, err := redistest.Command(addr, "RPUSH "+key+" go"); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Errorf("BLPOP: %v", err)
		}
	}
}
