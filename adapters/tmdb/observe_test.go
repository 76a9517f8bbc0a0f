package tmdb_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
)

// observed records what Config.Observe is told.
type observed struct {
	mu    sync.Mutex
	calls []string
	took  []time.Duration
}

func (o *observed) observe(endpoint, outcome string, took time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, endpoint+" "+outcome)
	o.took = append(o.took, took)
}

func (o *observed) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := slices.Clone(o.calls)
	slices.Sort(s) // the two searches of a year run at once
	return strings.Join(s, ", ")
}

// TestObserve: every request to an endpoint is reported once, with its
// endpoint (never an id), outcome and time, retries and waits included.
func TestObserve(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*tmdbtest.Server)
		edit     func(*tmdb.Config)
		call     func(context.Context, *tmdb.Client) error
		want     string
		wantTook time.Duration // of the last call
	}{
		{name: "search without a year", call: search("Frozen", 0), want: "search_multi ok"},
		{name: "search with a year", call: search("Frozen", 2013), want: "search_movie ok, search_tv ok"},
		{name: "film details", call: details(film(tmdbtest.Frozen)), want: "movie ok"},
		{name: "show details", call: details(show(tmdbtest.Bluey)), want: "tv ok"},
		{name: "unknown film", call: details(film(424242)), want: "movie not_found"},
		{name: "refused credential", edit: func(c *tmdb.Config) { c.Token = "wrong" }, call: search("Frozen", 0), want: "search_multi unauthorized"},
		{name: "5xx after the retry", setup: func(f *tmdbtest.Server) { f.Fail(http.StatusBadGateway, 0) },
			call: details(film(tmdbtest.Frozen)), want: "movie error", wantTook: 200 * time.Millisecond},
		{name: "429 past the budget", setup: func(f *tmdbtest.Server) { f.RateLimit("30", 0) },
			call: search("Frozen", 0), want: "search_multi rate_limited"},
		{name: "over the budget", setup: func(f *tmdbtest.Server) { f.Slow(10 * time.Second) },
			call: search("Frozen", 0), want: "search_multi timeout", wantTook: tmdb.DefaultTimeout},
		{name: "the caller gives up", setup: func(f *tmdbtest.Server) { f.Slow(10 * time.Second) },
			call: func(ctx context.Context, c *tmdb.Client) error {
				ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
				defer cancel()
				return search("Frozen", 0)(ctx, c)
			}, want: "search_multi canceled", wantTook: 300 * time.Millisecond},
		{name: "breaker open", setup: func(f *tmdbtest.Server) { f.Fail(http.StatusInternalServerError, 0) },
			edit: func(c *tmdb.Config) { c.BreakerFailures = 1 },
			call: func(ctx context.Context, c *tmdb.Client) error {
				_ = details(film(tmdbtest.Frozen))(ctx, c) // opens the breaker
				return details(film(tmdbtest.Frozen))(ctx, c)
			}, want: "movie breaker_open, movie error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := tmdbtest.New(t, tmdbtest.InMemory())
				if tt.setup != nil {
					tt.setup(fake)
				}
				obs := &observed{}
				c, _ := newClient(t, fake, func(c *tmdb.Config) {
					c.Observe = obs.observe
					if tt.edit != nil {
						tt.edit(c)
					}
				})
				_ = tt.call(t.Context(), c)
				if got := obs.String(); got != tt.want {
					t.Errorf("observed %q, want %q", got, tt.want)
				}
				for _, call := range obs.calls {
					ep, outcome, _ := strings.Cut(call, " ")
					if !slices.Contains(tmdb.Endpoints, ep) || !slices.Contains(tmdb.Outcomes, outcome) {
						t.Errorf("%q is not among the documented endpoints and outcomes", call)
					}
				}
				if last := obs.took[len(obs.took)-1]; last != tt.wantTook {
					t.Errorf("last call took %v, want %v", last, tt.wantTook)
				}
			})
		})
	}
}

func search(title string, year int) func(context.Context, *tmdb.Client) error {
	return func(ctx context.Context, c *tmdb.Client) error {
		_, err := c.Search(ctx, title, year)
		return err
	}
}

func details(ref bot.UpstreamRef) func(context.Context, *tmdb.Client) error {
	return func(ctx context.Context, c *tmdb.Client) error {
		_, err := c.Details(ctx, ref)
		return err
	}
}
