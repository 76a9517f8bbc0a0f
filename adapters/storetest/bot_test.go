package storetest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/data"
)

// newBot is one replica of the bot on st.
func newBot(t *testing.T, cat bot.CatalogSource, st store, limits bot.Limits) *bot.Bot {
	t.Helper()
	return bot.New(bot.Config{Catalog: cat, Gate: st, Settings: st, Cache: st, Limits: limits})
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
			if r := ask(b, "thread-2", "what about the language?"); r.Status != bot.StatusError || r.Error == nil || r.Error.Code != bot.ProblemNoTitle {
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
				if r.Status != bot.StatusError || r.Error == nil || r.Error.Code != bot.ProblemRateLimited {
					t.Fatalf("step %d (%s in %s): status %s %+v, want error rate_limited", i+1, s.user, s.community, r.Status, r.Error)
				}
				if !strings.Contains(r.Error.Message, s.limited) || !strings.Contains(r.Error.Next, "try again in a minute") {
					t.Errorf("step %d: reply %q / %q; want a polite %q with when to try again", i+1, r.Error.Message, r.Error.Next, s.limited)
				}
			}
		})
	}
}

// TestBotCatalogLookupsCostNoRoundTrip: searching the in-memory catalog is
// cheaper than any shared-cache read, so the bot never caches it there.
func TestBotCatalogLookupsCostNoRoundTrip(t *testing.T) {
	ctx := context.Background()
	cat := fixtureCatalog(t)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			l2 := counting(be.replica(t))
			b := bot.New(bot.Config{Catalog: cat, Cache: l2, Limits: bot.DefaultLimits()})
			for text, want := range map[string]bot.Status{
				"Ballerina 2023":      bot.StatusFound,
				"balerina 2023":       bot.StatusFound,
				"Ballerina":           bot.StatusAmbiguous,
				"Nonexistent Picture": bot.StatusNotFound,
			} {
				if r := b.Handle(ctx, bot.Request{Platform: "t", Text: text}); r.Status != want {
					t.Errorf("%q: %s, want %s", text, r.Status, want)
				}
			}
			if l2.gets.Load() != 0 || l2.sets.Load() != 0 {
				t.Errorf("catalog lookups made %d shared-cache reads and %d writes (keys %v); want none", l2.gets.Load(), l2.sets.Load(), l2.keys())
			}
		})
	}
}
