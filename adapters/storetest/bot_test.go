package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/data"
)

// newBot is one replica of the bot on st.
func newBot(t *testing.T, cat bot.CatalogSource, st store, limits bot.Limits) *bot.Bot {
	t.Helper()
	return bot.New(bot.Config{Catalog: cat, Conversations: st, Deduper: st, Limiter: st, Settings: st, Cache: st, Limits: limits})
}

func shippedCatalog(t *testing.T) *catalog.Live {
	t.Helper()
	live, err := catalog.NewLive(data.Reviews())
	if err != nil {
		t.Fatalf("loading the embedded catalog: %v", err)
	}
	return live
}

func TestBotDedupeAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	cat := shippedCatalog(t)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			a, b := newBot(t, cat, be.replica(t), bot.Limits{}), newBot(t, cat, be.replica(t), bot.Limits{})
			req := bot.Request{Platform: "slack", Text: "is Ballerina family-safe?", EventID: "Ev1", UserID: "U1", Community: "T1"}
			if r := a.Handle(ctx, req); r.Status != bot.StatusFound {
				t.Fatalf("first delivery: status %s, want found", r.Status)
			}
			for name, replica := range map[string]*bot.Bot{"other replica": b, "same replica": a} {
				if r := replica.Handle(ctx, req); r.Status != bot.StatusDuplicate {
					t.Errorf("redelivery to the %s: status %s, want duplicate", name, r.Status)
				}
			}
			// The same id on another platform is another event.
			other := req
			other.Platform = "discord"
			if r := b.Handle(ctx, other); r.Status != bot.StatusFound {
				t.Errorf("same id on another platform: status %s, want found", r.Status)
			}

			// One event delivered to eight replicas at once is answered once.
			replicas := make([]*bot.Bot, 8)
			for i := range replicas {
				replicas[i] = newBot(t, cat, be.replica(t), bot.Limits{})
			}
			req.EventID = "Ev-race"
			var answered atomic.Int64
			var wg sync.WaitGroup
			for _, r := range replicas {
				wg.Go(func() {
					if r.Handle(ctx, req).Status != bot.StatusDuplicate {
						answered.Add(1)
					}
				})
			}
			wg.Wait()
			if answered.Load() != 1 {
				t.Fatalf("one event delivered to 8 replicas was answered %d times; want 1", answered.Load())
			}
		})
	}
}

func TestBotFollowUp(t *testing.T) {
	ctx := context.Background()
	cat := fixtureCatalog(t)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			a, b := newBot(t, cat, be.replica(t), bot.Limits{}), newBot(t, cat, be.replica(t), bot.Limits{})
			ask := func(r *bot.Bot, conv, text string) bot.Reply {
				return r.Handle(ctx, bot.Request{Platform: "slack", Text: text, UserID: "U1", Community: "T1", Conversation: conv})
			}
			if r := ask(a, "thread-1", "can my 9 year old watch Ballerina 2016?"); r.Status != bot.StatusFound || r.Match.ID != "ballerina-2016" {
				t.Fatalf("first question: %s %v", r.Status, r.Match)
			}
			// The follow-up reaches the other replica: the thread's context is shared.
			r := ask(b, "thread-1", "what about the language?")
			if r.Status != bot.StatusFound || r.Match == nil || r.Match.ID != "ballerina-2016" {
				t.Fatalf("follow-up: status %s, match %v; want ballerina-2016 (the title just discussed)", r.Status, r.Match)
			}
			if r.Focus == nil || *r.Focus != catalog.Profanity {
				t.Errorf("follow-up focus = %v, want profanity", r.Focus)
			}
			if r.Verdict == nil || r.Verdict.Age != 9 {
				t.Errorf("follow-up verdict age = %v, want the 9 asked about before", r.Verdict)
			}
			// Another thread has no context.
			if r := ask(b, "thread-2", "what about the language?"); r.Status != bot.StatusError || r.Error == nil || r.Error.Code != "no_title" {
				t.Fatalf("follow-up in a fresh thread: %s %+v; want error no_title", r.Status, r.Error)
			}
			// A new title in the thread replaces the context.
			ask(a, "thread-1", "Fixture Storm Harbor")
			if r := ask(b, "thread-1", "and the violence?"); r.Match == nil || r.Match.ID != "fixture-storm-harbor" {
				t.Fatalf("follow-up after a new title: match %v, want fixture-storm-harbor", r.Match)
			}
		})
	}
}

func TestBotSettingsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	cat := shippedCatalog(t)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			before := newBot(t, cat, be.replica(t), bot.Limits{})
			if err := before.SetProfile(ctx, "slack", "T-young", bot.Profile{Age: 8}); err != nil {
				t.Fatalf("SetProfile: %v", err)
			}
			after := newBot(t, cat, be.restart(t), bot.Limits{})
			for community, want := range map[string]int{"T-young": 8, "T-other": 12} {
				r := after.Handle(ctx, bot.Request{Platform: "slack", Text: "is Ballerina family-safe?", UserID: "U1", Community: community})
				if r.Verdict == nil || r.Verdict.Age != want {
					t.Errorf("community %s after restart: verdict %+v; want age %d", community, r.Verdict, want)
				}
			}
		})
	}
}

func TestBotRateLimited(t *testing.T) {
	ctx := context.Background()
	cat := shippedCatalog(t)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			limits := bot.Limits{UserPerMinute: 2, CommunityPerMinute: 3}
			a, b := newBot(t, cat, be.replica(t), limits), newBot(t, cat, be.replica(t), limits)
			ask := func(r *bot.Bot, user, community string) bot.Reply {
				return r.Handle(ctx, bot.Request{Platform: "discord", Text: "Ballerina", UserID: user, Community: community})
			}
			steps := []struct {
				replica         *bot.Bot
				user, community string
				limited         string // "" for an answer, else what the reply must mention
			}{
				{a, "U1", "G1", ""},
				{b, "U1", "G1", ""},
				{a, "U1", "G1", "you have asked a lot"}, // third from U1 within the minute, across replicas
				{b, "U2", "G1", ""},
				{a, "U3", "G1", "this community"}, // the fourth event G1 let through the user check
				{b, "U4", "G2", ""},
			}
			for i, s := range steps {
				r := ask(s.replica, s.user, s.community)
				if s.limited == "" {
					if r.Status != bot.StatusFound {
						t.Fatalf("step %d (%s in %s): status %s, want found", i+1, s.user, s.community, r.Status)
					}
					continue
				}
				if r.Status != bot.StatusError || r.Error == nil || r.Error.Code != "rate_limited" {
					t.Fatalf("step %d (%s in %s): status %s %+v, want error rate_limited", i+1, s.user, s.community, r.Status, r.Error)
				}
				if !strings.Contains(r.Error.Message, s.limited) || !strings.Contains(r.Error.Next, "try again in a minute") {
					t.Errorf("step %d: reply %q / %q; want a polite %q with when to try again", i+1, r.Error.Message, r.Error.Next, s.limited)
				}
			}
		})
	}
}

func TestBotLookupCache(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			cat := fixtureCatalog(t)
			version := cat.Current().Version()
			limits := bot.Limits{CacheTTL: time.Hour, NegativeCacheTTL: time.Minute}
			l2 := counting(be.replica(t))
			a := bot.New(bot.Config{Catalog: cat, Cache: l2, Limits: limits})
			ask := func(r *bot.Bot, text string) bot.Reply { return r.Handle(ctx, bot.Request{Platform: "t", Text: text}) }

			// Miss: one L2 read, one resolution written with the positive TTL.
			first := ask(a, "Ballerina 2023")
			key := "lookup:" + version + ":ballerina:2023"
			if got := l2.keys(); got[key] != time.Hour || l2.gets.Load() != 1 || l2.sets.Load() != 1 {
				t.Fatalf("after a miss: keys %v, %d gets, %d sets; want %s for 1h, 1 get, 1 set", got, l2.gets.Load(), l2.sets.Load(), key)
			}
			// L1 hit: no round trip at all.
			if r := ask(a, "ballerina (2023)"); r.Match == nil || r.Match.ID != first.Match.ID || l2.gets.Load() != 1 {
				t.Fatalf("L1 hit: match %v, %d L2 gets; want %s and still 1", r.Match, l2.gets.Load(), first.Match.ID)
			}
			// L2 hit: another replica (empty L1) makes exactly one GET and resolves nothing.
			b := bot.New(bot.Config{Catalog: cat, Cache: l2, Limits: limits})
			if r := ask(b, "Ballerina 2023"); r.Match == nil || r.Match.ID != "ballerina-2023" || r.Text != first.Text {
				t.Fatalf("L2 hit: %v %q", r.Match, r.Text)
			}
			if l2.gets.Load() != 2 || l2.sets.Load() != 1 {
				t.Fatalf("L2 hit: %d gets, %d sets; want 2 and 1", l2.gets.Load(), l2.sets.Load())
			}
			// Ambiguous results are positive answers; not found ones are negative, kept shorter.
			if r := ask(a, "Ballerina"); r.Status != bot.StatusAmbiguous {
				t.Fatalf("Ballerina: %s, want ambiguous", r.Status)
			}
			if r := ask(a, "Nonexistent Picture"); r.Status != bot.StatusNotFound {
				t.Fatalf("Nonexistent Picture: %s, want not_found", r.Status)
			}
			keys := l2.keys()
			if keys["lookup:"+version+":ballerina:0"] != time.Hour || keys["lookup:"+version+":nonexistent picture:0"] != time.Minute {
				t.Fatalf("TTLs %v; want 1h for the ambiguous hit, 1m for the miss", keys)
			}
			if be.client != nil {
				neg := be.client.PTTL(ctx, be.prefix+"cache:lookup:"+version+":nonexistent picture:0").Val()
				pos := be.client.PTTL(ctx, be.prefix+"cache:"+key).Val()
				if neg <= 0 || neg > time.Minute || pos <= time.Minute {
					t.Fatalf("Redis TTLs: negative %v, positive %v; want 0 < negative <= 1m < positive", neg, pos)
				}
			}
		})
	}
}

// TestBotLookupCacheVersioned changes the catalog under a cached answer:
// the new catalog's version is a new key, so nothing stale is served.
func TestBotLookupCacheVersioned(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			dir := t.TempDir()
			copyReview(t, "ballerina-2023.json", dir)
			live, err := catalog.NewLive(osDir(dir))
			if err != nil {
				t.Fatal(err)
			}
			v1 := live.Current().Version()
			l2 := counting(be.replica(t))
			// Two replicas: one that reloads and one that reloads later.
			a := bot.New(bot.Config{Catalog: live, Cache: l2})
			ask := func(text string) bot.Reply { return a.Handle(ctx, bot.Request{Platform: "t", Text: text}) }
			if r := ask("Fixture Meadow Friends"); r.Status != bot.StatusNotFound {
				t.Fatalf("before the data change: %s, want not_found", r.Status)
			}
			if r := ask("Ballerina"); r.Status != bot.StatusFound {
				t.Fatalf("before the data change: Ballerina %s, want found (one title)", r.Status)
			}
			copyReview(t, "fixture-meadow-friends.json", dir)
			copyReview(t, "ballerina-2016.json", dir)
			if err := live.Reload(); err != nil {
				t.Fatal(err)
			}
			v2 := live.Current().Version()
			if v1 == v2 {
				t.Fatal("the catalog version did not change with its content")
			}
			if r := ask("Fixture Meadow Friends"); r.Status != bot.StatusFound {
				t.Errorf("after the data change: %s, want found (a cached not-found was served)", r.Status)
			}
			if r := ask("Ballerina"); r.Status != bot.StatusAmbiguous {
				t.Errorf("after the data change: Ballerina %s, want ambiguous (a cached single hit was served)", r.Status)
			}
			for k := range l2.keys() {
				if !strings.HasPrefix(k, "lookup:"+v1+":") && !strings.HasPrefix(k, "lookup:"+v2+":") {
					t.Errorf("key %q carries no catalog version", k)
				}
			}
		})
	}
}

// TestBotLookupSingleflight: 100 concurrent identical misses resolve once.
func TestBotLookupSingleflight(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			cat := fixtureCatalog(t)
			l2 := counting(be.replica(t))
			b := bot.New(bot.Config{Catalog: cat, Cache: l2})
			start := make(chan struct{})
			var wg sync.WaitGroup
			var wrong atomic.Int64
			for i := range 100 {
				wg.Go(func() {
					<-start
					r := b.Handle(ctx, bot.Request{Platform: "t", Text: "is Fixture Storm Harbor ok for kids?", UserID: fmt.Sprint(i)})
					if r.Match == nil || r.Match.ID != "fixture-storm-harbor" {
						wrong.Add(1)
					}
				})
			}
			close(start)
			wg.Wait()
			if wrong.Load() > 0 {
				t.Fatalf("%d of 100 answers were wrong", wrong.Load())
			}
			// Every resolution writes the shared cache once, after one read.
			if l2.sets.Load() != 1 || l2.gets.Load() != 1 {
				t.Fatalf("100 concurrent identical misses: %d resolutions, %d shared-cache reads; want 1 and 1", l2.sets.Load(), l2.gets.Load())
			}
		})
	}
}
