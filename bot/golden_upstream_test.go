package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/internal/fakeclock"
	"advisorybot/internal/golden"
)

// TestGoldenUpstreamJSON pins the replies made from TMDB's data, and those
// of TMDB's failures, against the fake TMDB and the curated Ballerina (2023).
func TestGoldenUpstreamJSON(t *testing.T) {
	tests := []struct {
		name    string
		country string
		req     bot.Request
		// before runs against the fake and the clock before the question.
		before func(b *bot.Bot, fake *tmdbtest.Server, clock *fakeclock.Clock)
	}{
		{name: "tmdb_found", req: bot.Request{Text: "is Frozen family-safe?"}},
		{name: "tmdb_below_age", req: bot.Request{Text: "can my 6 year old watch Frozen?"}},
		{name: "tmdb_restricted", req: bot.Request{Text: "Ballerina 2025"}},
		{name: "tmdb_show", req: bot.Request{Text: "can my 5 year old watch Bluey?"}},
		{name: "tmdb_topic", req: bot.Request{Text: "how violent is Frozen?"}},
		{name: "tmdb_fallback", country: "FR", req: bot.Request{Text: "Fargo 1996"}},
		{name: "tmdb_descriptors", country: "NL", req: bot.Request{Text: "Ballerina 2016"}},
		{name: "tmdb_no_certification", req: bot.Request{Text: "The Lantern Keeper"}},
		{name: "tmdb_ambiguous", req: bot.Request{Text: "Ballerina"}},
		{name: "tmdb_film_and_show", req: bot.Request{Text: "Fargo"}},
		{name: "tmdb_pick", req: bot.Request{Kind: bot.KindButton, Options: &bot.Options{ID: filmID(tmdbtest.Ballerina2016), Age: 9}}},
		{name: "tmdb_not_found", req: bot.Request{Text: "Nothing Like This"}},
		{name: "tmdb_other_name", req: bot.Request{Text: "Leap"}},
		{name: "tmdb_unreachable", req: bot.Request{Text: "Frozen"}, before: func(_ *bot.Bot, f *tmdbtest.Server, _ *fakeclock.Clock) {
			f.Fail(http.StatusServiceUnavailable, 0)
		}},
		{name: "tmdb_misconfigured", req: bot.Request{Text: "Frozen"}, before: func(_ *bot.Bot, f *tmdbtest.Server, _ *fakeclock.Clock) {
			f.Fail(http.StatusUnauthorized, 0)
		}},
		{name: "tmdb_down_curated", req: bot.Request{Text: "Ballerina"}, before: func(_ *bot.Bot, f *tmdbtest.Server, _ *fakeclock.Clock) {
			f.Fail(http.StatusServiceUnavailable, 0)
		}},
		{name: "tmdb_stale", req: bot.Request{Text: "Frozen"}, before: func(b *bot.Bot, f *tmdbtest.Server, c *fakeclock.Clock) {
			b.Handle(context.Background(), bot.Request{Text: "Frozen"})
			c.Add(3*24*time.Hour + time.Hour)
			f.Fail(http.StatusServiceUnavailable, 0)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := tmdbtest.New(t)
			clock := fakeclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
			b := tmdbBot(t, fake, bot.Config{Country: tc.country, Now: clock.Now}, func(c *tmdb.Config) { c.BreakerFailures = 1000 })
			if tc.before != nil {
				tc.before(b, fake, clock)
			}
			r := b.Handle(context.Background(), tc.req)
			got, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".json"), append(got, '\n'), *update)
		})
	}
}
