package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

// keyspaceHits is Redis's count of reads that found their key.
func keyspaceHits(t *testing.T, admin *redisstore.Store) int64 {
	t.Helper()
	info, err := admin.Client().Info(context.Background(), "stats").Result()
	if err != nil {
		t.Fatalf("INFO stats: %v", err)
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "keyspace_hits:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("INFO stats has no keyspace_hits")
	return 0
}

// TestBotDegradedMode stops Redis under a running bot, and then freezes it
// (a Redis that accepts connections but answers nothing): answers keep
// coming from memory, fast, with one warning per outage; when Redis
// returns, it is used again, and a profile set during the outage reaches it.
func TestBotDegradedMode(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	prefix := newPrefix(t)
	admin := openRedis(t, srv.Addr, prefix, generous)
	var logs syncbuf.Buffer
	// 150ms rather than the 50ms default: under -race on a busy machine a
	// healthy Redis must not look like an outage to this test.
	f := newFailover(t, openRedis(t, srv.Addr, prefix, 150*time.Millisecond), debugLogger(&logs))
	f.Check(ctx)
	if !f.Healthy() {
		t.Fatalf("Redis is up but the failover is not using it\n%s", logs.String())
	}
	cat := fixtureCatalog(t)
	a := newBot(t, cat, f, bot.Limits{})
	n := 0
	ask := func(b *bot.Bot, text, community string) (bot.Reply, time.Duration) {
		n++
		start := time.Now()
		r := b.Handle(ctx, bot.Request{Platform: "slack", Text: text, EventID: fmt.Sprint("E", n), UserID: fmt.Sprint("U", n%7), Community: community, Conversation: "thread"})
		return r, time.Since(start)
	}
	if r, _ := ask(a, "is Ballerina 2023 family-safe?", "T1"); r.Status != bot.StatusFound {
		t.Fatalf("with Redis up: %s", r.Status)
	}
	if err := a.SetProfile(ctx, "slack", "T-before", bot.Profile{Age: 6}); err != nil {
		t.Fatal(err)
	}
	ask(a, "is Ballerina 2023 family-safe?", "T-before") // read through: mirrored in memory

	outage := func(name string, cause, cure func()) {
		t.Helper()
		warnings := strings.Count(logs.String(), "redis unavailable")
		cause()
		titles := []string{"Fixture Storm Harbor", "Ballerina 2016", "Fixture Meadow Friends", "what about the language?", "Ballerina 2023"}
		var rest time.Duration
		for i := range 40 {
			r, took := ask(a, titles[i%len(titles)], "T1")
			if r.Status != bot.StatusFound {
				t.Fatalf("%s, answer %d: status %s %+v; want found", name, i+1, r.Status, r.Error)
			}
			if i == 0 && took > time.Second {
				// It may wait for one command timeout, not for seconds.
				t.Errorf("%s: the first answer took %v", name, took)
			}
			if i > 0 {
				rest += took
			}
		}
		// After the first, Redis is not asked at all: a frozen Redis would
		// cost at least 150ms per request (39 x 150ms ~ 6s) if it were.
		if rest > 500*time.Millisecond {
			t.Errorf("%s: 39 answers during the outage took %v", name, rest)
		}
		if f.Healthy() {
			t.Fatalf("%s: still on Redis", name)
		}
		if got := strings.Count(logs.String(), "redis unavailable") - warnings; got != 1 {
			t.Fatalf("%s: %d outage warnings for 40 requests; want 1\n%s", name, got, logs.String())
		}
		// The community's profile, read before the outage, still applies.
		if r, _ := ask(a, "Ballerina 2023", "T-before"); r.Verdict == nil || r.Verdict.Age != 6 {
			t.Errorf("%s: profile set before the outage: verdict %+v, want age 6", name, r.Verdict)
		}
		// A profile set during the outage applies now and reaches Redis later.
		community := "T-during-" + name
		if err := a.SetProfile(ctx, "slack", community, bot.Profile{Age: 9}); err != nil {
			t.Fatalf("%s: SetProfile during the outage: %v", name, err)
		}
		if r, _ := ask(a, "Ballerina 2023", community); r.Verdict == nil || r.Verdict.Age != 9 {
			t.Errorf("%s: profile set during the outage: verdict %+v, want age 9", name, r.Verdict)
		}

		cure()
		deadline := time.Now().Add(5 * time.Second)
		for !f.Healthy() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: Redis is back but the bot did not return to it\n%s", name, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if strings.Count(logs.String(), "redis is back") == 0 {
			t.Errorf("%s: no recovery line logged", name)
		}
		if p, ok, err := admin.Profile(ctx, "slack:"+community); err != nil || !ok || p.Age != 9 {
			t.Errorf("%s: profile set during the outage, in Redis after it: %+v %v %v; want age 9", name, p, ok, err)
		}

		// Redis is read again: a fresh replica gets that profile from it.
		hits := keyspaceHits(t, admin)
		fresh := newBot(t, cat, f, bot.Limits{})
		if r, _ := ask(fresh, "Fixture Meadow Friends 2020", community); r.Status != bot.StatusFound || r.Verdict.Age != 9 {
			t.Fatalf("%s, after recovery, fresh replica: %s %+v; want found for age 9", name, r.Status, r.Verdict)
		}
		if got := keyspaceHits(t, admin) - hits; got < 1 {
			t.Errorf("%s: a fresh replica's answer made %d Redis reads that found their key; want Redis used again", name, got)
		}
	}

	outage("stopped", srv.Stop, srv.Restart)
	outage("frozen", srv.Freeze, srv.Thaw)
	t.Logf("log:\n%s", logs.String())
}
