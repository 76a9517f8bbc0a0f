package bot_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/internal/fakeclock"
)

// curatedStillAnswers checks that curated titles answer whatever TMDB does:
// with a year, and without one (naming which of the same-name titles it is,
// since TMDB could not say whether others exist).
func curatedStillAnswers(t *testing.T, b *bot.Bot) {
	t.Helper()
	if r := ask(b, "is Ballerina 2023 family-safe?"); r.Status != bot.StatusFound || r.Match.ID != "ballerina-2023" || r.Verdict.Evidence != bot.EvidenceCurated {
		t.Errorf("curated title with its year: %s %v (%s)", r.Status, r.Match, r.Text)
	}
	r := ask(b, "Ballerina")
	if r.Status != bot.StatusFound || r.Match.ID != "ballerina-2023" {
		t.Fatalf("curated title without a year: %s (%s)", r.Status, r.Text)
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "may share this name") }) {
		t.Errorf("notes %q: want a note that other titles may share the name", r.Notes)
	}
}

// wantProblem checks a reply is the problem code, worded for people.
func wantProblem(t *testing.T, r bot.Reply, code bot.ProblemCode, says string) {
	t.Helper()
	if r.Status != bot.StatusError || r.Error == nil || r.Error.Code != code {
		t.Fatalf("%s %+v, want problem %s (%s)", r.Status, r.Error, code, r.Text)
	}
	if !strings.Contains(r.Error.Message, says) || r.Error.Next == "" {
		t.Errorf("problem %+v: want it to say %q and what to do next", r.Error, says)
	}
	for _, leak := range []string{"HTTP", "401", "503", "GET ", "tmdb:", "/3/"} {
		if strings.Contains(r.Text, leak) {
			t.Errorf("text %q shows the user %q", r.Text, leak)
		}
	}
	if r.Verdict != nil {
		t.Errorf("a problem gives no verdict: %+v", r.Verdict)
	}
}

func TestTMDBRefusesTheCredential(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{})
	fake.Fail(http.StatusUnauthorized, 0)
	wantProblem(t, ask(b, "is Frozen ok for kids?"), bot.ProblemUpstreamConfig, "not set up correctly")
	wantProblem(t, pick(b, filmID(tmdbtest.Frozen), 0), bot.ProblemUpstreamConfig, "not set up correctly")
	curatedStillAnswers(t, b)
}

func TestTMDBUnreachable(t *testing.T) {
	tests := []struct {
		name string
		fail func(*tmdbtest.Server)
	}{
		{"503 on every request", func(f *tmdbtest.Server) { f.Fail(http.StatusServiceUnavailable, 0) }},
		{"500 on every request", func(f *tmdbtest.Server) { f.Fail(http.StatusInternalServerError, 0) }},
		{"429 longer than the budget", func(f *tmdbtest.Server) { f.RateLimit("30", 0) }},
		{"server gone", func(f *tmdbtest.Server) { f.Close() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := tmdbtest.New(t)
			b := tmdbBot(t, fake, bot.Config{})
			tc.fail(fake)
			wantProblem(t, ask(b, "is Frozen ok for kids?"), bot.ProblemUpstreamDown, "cannot be reached")
			wantProblem(t, pick(b, showID(tmdbtest.Bluey), 0), bot.ProblemUpstreamDown, "cannot be reached")
			curatedStillAnswers(t, b)
		})
	}
}

// TestBreakerSparesTMDB: once the breaker is open, questions are answered at
// once without calling TMDB.
func TestBreakerSparesTMDB(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{}, func(c *tmdb.Config) { c.BreakerFailures, c.BreakerCooldown = 1, time.Hour })
	fake.Fail(http.StatusServiceUnavailable, 0)
	wantProblem(t, ask(b, "Frozen"), bot.ProblemUpstreamDown, "cannot be reached")
	fake.ResetCounts()
	wantProblem(t, ask(b, "Bluey"), bot.ProblemUpstreamDown, "cannot be reached")
	curatedStillAnswers(t, b)
	if n := fake.Total(); n != 0 {
		t.Errorf("%d requests to TMDB with the breaker open", n)
	}
}

// TestTMDBSlowOrRateLimited runs in a synctest bubble: waits are exact.
func TestTMDBSlowOrRateLimited(t *testing.T) {
	t.Run("no answer within the budget", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			fake.Slow(time.Minute)
			start := time.Now()
			wantProblem(t, ask(b, "Frozen"), bot.ProblemUpstreamDown, "cannot be reached")
			if el := time.Since(start); el != tmdb.DefaultTimeout {
				t.Errorf("answered after %v, want the %v budget", el, tmdb.DefaultTimeout)
			}
			curatedStillAnswers(t, b)
		})
	})
	t.Run("429 with a short Retry-After is waited out", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			fake.RateLimit("1", 1)
			start := time.Now()
			if r := ask(b, "Frozen"); r.Status != bot.StatusFound || r.Match.Rating != "PG" {
				t.Fatalf("%s %v (%s)", r.Status, r.Match, r.Text)
			}
			if el := time.Since(start); el != time.Second {
				t.Errorf("answered after %v, want Retry-After's 1s", el)
			}
		})
	})
	t.Run("429 past the budget fails at once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			fake.RateLimit("30", 0)
			start := time.Now()
			wantProblem(t, ask(b, "Frozen"), bot.ProblemUpstreamDown, "cannot be reached")
			if el := time.Since(start); el != 0 {
				t.Errorf("answered after %v, want at once", el)
			}
		})
	})
}

// TestStaleAnswers: with TMDB down, a title looked up before answers from
// the cache, saying how old the data is when it is over a day; past the
// week it is kept, it is gone.
func TestStaleAnswers(t *testing.T) {
	fake, clock, b := staleBot(t)
	if r := ask(b, "Frozen"); r.Status != bot.StatusFound || len(r.Notes) != 0 {
		t.Fatalf("first answer: %s %q", r.Status, r.Notes)
	}
	steps := []struct {
		advance time.Duration
		down    bool
		note    string // "" for none
		status  bot.Status
		reqs    int // TMDB requests made by this question
	}{
		{23 * time.Hour, false, "", bot.StatusFound, 0},        // fresh: from the cache
		{2 * time.Hour, true, "1 day old", bot.StatusFound, 4}, // refresh failed (search and details, each retried)
		{2 * 24 * time.Hour, true, "3 days old", bot.StatusFound, 4},
		{0, false, "", bot.StatusFound, 2},             // TMDB back: refreshed
		{23 * time.Hour, true, "", bot.StatusFound, 0}, // fresh again
		{7*24*time.Hour + time.Minute, true, "", bot.StatusError, 2},
	}
	for i, s := range steps {
		clock.Add(s.advance)
		fake.Heal()
		if s.down {
			fake.Fail(http.StatusServiceUnavailable, 0)
		}
		fake.ResetCounts()
		r := ask(b, "is Frozen ok for kids?")
		if r.Status != s.status {
			t.Fatalf("step %d: %s, want %s (%s)", i, r.Status, s.status, r.Text)
		}
		if got := fake.Total(); got != s.reqs {
			t.Errorf("step %d: %d TMDB requests, want %d", i, got, s.reqs)
		}
		if s.status != bot.StatusFound {
			wantProblem(t, r, bot.ProblemUpstreamDown, "cannot be reached")
			continue
		}
		if !staleNoteSays(r.Notes, s.note) {
			t.Errorf("step %d: notes %q, want %s", i, r.Notes, wantedNote(s.note))
		}
		if r.Match.Rating != "PG" || r.Verdict.Level != bot.Caution {
			t.Errorf("step %d: %s %s", i, r.Match.Rating, r.Verdict.Level)
		}
	}
}

// TestStaleChoices: with TMDB down, a same-name list looked up before is
// offered from the cache, saying how old it is when over a day.
func TestStaleChoices(t *testing.T) {
	fake, clock, b := staleBot(t)
	if r := ask(b, "Ballerina"); r.Status != bot.StatusAmbiguous || len(r.Notes) != 0 {
		t.Fatalf("first answer: %s %q", r.Status, r.Notes)
	}
	for _, s := range []struct {
		advance time.Duration
		note    string // "" for none
	}{
		{2 * time.Hour, ""},                // fresh
		{2 * 24 * time.Hour, "2 days old"}, // from the cache, TMDB down
	} {
		clock.Add(s.advance)
		fake.Fail(http.StatusServiceUnavailable, 0)
		r := ask(b, "Ballerina")
		if r.Status != bot.StatusAmbiguous || len(r.Candidates) < 2 {
			t.Fatalf("after %v: %s with %d choices, want the list (%s)", s.advance, r.Status, len(r.Candidates), r.Text)
		}
		if !staleNoteSays(r.Notes, s.note) {
			t.Errorf("after %v: notes %q, want %s", s.advance, r.Notes, wantedNote(s.note))
		}
	}
}

// staleBot is a bot on a fake TMDB and a fake clock whose breaker never
// opens, so every question while TMDB fails asks it again.
func staleBot(t *testing.T) (*tmdbtest.Server, *fakeclock.Clock, *bot.Bot) {
	t.Helper()
	fake := tmdbtest.New(t)
	clock := fakeclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	return fake, clock, tmdbBot(t, fake, bot.Config{Now: clock.Now}, func(c *tmdb.Config) { c.BreakerFailures = 1000 })
}

// staleNoteSays reports whether notes are what a reply from the cache
// says about its age: nothing for age "", otherwise one note saying the
// ratings service cannot be reached and how old the data is ("3 days old").
func staleNoteSays(notes []string, age string) bool {
	if age == "" {
		return len(notes) == 0
	}
	return len(notes) == 1 && strings.Contains(notes[0], age) && strings.Contains(notes[0], "cannot be reached")
}

func wantedNote(age string) string {
	if age == "" {
		return "none"
	}
	return "one saying the data is " + age
}

// TestMissesAreCachedAnHour: a title TMDB does not know is asked again
// after an hour, not before.
func TestMissesAreCachedAnHour(t *testing.T) {
	fake := tmdbtest.New(t)
	clock := fakeclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	b := tmdbBot(t, fake, bot.Config{Now: clock.Now})
	for _, s := range []struct {
		advance time.Duration
		total   int
	}{{0, 1}, {59 * time.Minute, 1}, {2 * time.Minute, 2}} {
		clock.Add(s.advance)
		if r := ask(b, "Nothing Like This"); r.Status != bot.StatusNotFound {
			t.Fatalf("%s", r.Status)
		}
		if got := fake.Total(); got != s.total {
			t.Errorf("after %v more: %d requests, want %d", s.advance, got, s.total)
		}
	}
}

// TestConfiguredTTLs: the TTLs given in the configuration are the ones used.
func TestConfiguredTTLs(t *testing.T) {
	fake := tmdbtest.New(t)
	clock := fakeclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	b := tmdbBot(t, fake, bot.Config{Now: clock.Now, UpstreamTTLs: bot.UpstreamTTLs{Fresh: time.Hour, Miss: time.Minute, Keep: 2 * time.Hour}},
		func(c *tmdb.Config) { c.BreakerFailures = 1000 })
	ask(b, "Frozen")
	ask(b, "Nothing Like This")
	clock.Add(59 * time.Second)
	fake.ResetCounts()
	ask(b, "Frozen")
	ask(b, "Nothing Like This")
	if n := fake.Total(); n != 0 {
		t.Errorf("%d requests within the TTLs", n)
	}
	clock.Add(2 * time.Second)
	ask(b, "Nothing Like This")
	if n := fake.Total(); n != 1 {
		t.Errorf("%d requests after the miss TTL, want 1", n)
	}
	clock.Add(time.Hour)
	fake.Fail(http.StatusServiceUnavailable, 0)
	if r := ask(b, "Frozen"); r.Status != bot.StatusFound {
		t.Errorf("within Keep, TMDB down: %s, want the cached answer", r.Status)
	}
	clock.Add(time.Hour)
	if r := ask(b, "Frozen"); r.Status != bot.StatusError {
		t.Errorf("past Keep, TMDB down: %s, want an error", r.Status)
	}
}

// TestSuggestWithTMDB: autocomplete lists curated titles, then TMDB's, and
// never waits for TMDB past its budget or the caller's deadline.
func TestSuggestWithTMDB(t *testing.T) {
	labels := func(refs []bot.TitleRef) []string {
		out := []string{}
		for _, r := range refs {
			out = append(out, r.Label())
		}
		return out
	}
	t.Run("curated first, then TMDB, rated from the cache", func(t *testing.T) {
		fake := tmdbtest.New(t)
		b := tmdbBot(t, fake, bot.Config{})
		want := []string{"Ballerina (2023) · film · TV-MA", "Ballerina (2025) · film", "Ballerina (2016) · film"}
		if got := labels(b.Suggest(context.Background(), "bal", 25)); !slices.Equal(got, want) {
			t.Errorf("Suggest = %q, want %q", got, want)
		}
		ask(b, "Ballerina") // looks up the candidates' certifications
		want = []string{"Ballerina (2023) · film · TV-MA", "Ballerina (2025) · film · R", "Ballerina (2016) · film · PG"}
		if got := labels(b.Suggest(context.Background(), "bal", 25)); !slices.Equal(got, want) {
			t.Errorf("after the details are cached: Suggest = %q, want %q", got, want)
		}
		if got := labels(b.Suggest(context.Background(), "bal", 2)); !slices.Equal(got, want[:2]) {
			t.Errorf("limit 2: %q", got)
		}
		fake.ResetCounts()
		b.Suggest(context.Background(), "bal", 25)
		if n := fake.Total(); n != 0 {
			t.Errorf("a repeated prefix made %d requests", n)
		}
	})
	t.Run("slow TMDB: curated at the budget, TMDB's next time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			fake.Slow(1800 * time.Millisecond)
			start := time.Now()
			got := labels(b.Suggest(t.Context(), "bal", 25))
			if el := time.Since(start); el > 1500*time.Millisecond {
				t.Errorf("Suggest took %v, past its 1.5s budget", el)
			}
			if !slices.Equal(got, []string{"Ballerina (2023) · film · TV-MA"}) {
				t.Errorf("Suggest = %q, want the curated title only", got)
			}
			time.Sleep(time.Second) // TMDB's late answer fills the cache
			start = time.Now()
			got = labels(b.Suggest(t.Context(), "bal", 25))
			if el := time.Since(start); el != 0 || len(got) != 3 {
				t.Errorf("next keystroke: %q after %v, want TMDB's titles from the cache at once", got, el)
			}
		})
	})
	t.Run("the caller's deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			fake.Slow(time.Minute)
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			b.Suggest(ctx, "fro", 25)
			if el := time.Since(start); el > 300*time.Millisecond {
				t.Errorf("Suggest took %v, past the caller's 300ms", el)
			}
			time.Sleep(tmdb.DefaultTimeout) // the search left running ends before the bubble
		})
	})
	t.Run("stale cache and slow TMDB", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			b := tmdbBot(t, fake, bot.Config{})
			b.Suggest(t.Context(), "bal", 25)
			time.Sleep(25 * time.Hour) // the search is past its freshness
			fake.Slow(1900 * time.Millisecond)
			start := time.Now()
			got := labels(b.Suggest(t.Context(), "bal", 25))
			if el := time.Since(start); el > 1500*time.Millisecond {
				t.Errorf("Suggest took %v refreshing a stale search, past its 1.5s budget", el)
			}
			if len(got) != 3 {
				t.Errorf("Suggest = %q, want the stale TMDB titles too", got)
			}
			time.Sleep(tmdb.DefaultTimeout) // the refresh left running ends before the bubble
		})
	})
}
