package tmdb_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/memory"
	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
)

// The tests below run in synctest bubbles against the in-memory fake: time
// is fake, so waits of seconds take none, and elapsed times are exact.

func TestServerErrorsAreRetriedOnceAfterAJitteredPause(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		failures int // 0: every request
		wantErr  error
		wantReqs int
	}{
		{"500 once, then the answer", http.StatusInternalServerError, 1, nil, 2},
		{"503 once, then the answer", http.StatusServiceUnavailable, 1, nil, 2},
		{"502 twice: unavailable", http.StatusBadGateway, 2, bot.ErrUpstreamUnavailable, 2},
		{"500 always: unavailable after one retry", http.StatusInternalServerError, 0, bot.ErrUpstreamUnavailable, 2},
		{"404 is not retried", http.StatusNotFound, 0, bot.ErrUpstreamNotFound, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := tmdbtest.New(t, tmdbtest.InMemory())
				c, _ := newClient(t, fake, func(c *tmdb.Config) {
					c.RetryDelay = 300 * time.Millisecond
					c.Jitter = func() float64 { return 0.9 } // waits 1.4 × 300 ms
				})
				fake.Fail(tt.status, tt.failures)
				start := time.Now()
				d, err := c.Details(t.Context(), film(tmdbtest.Frozen))
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if err == nil && d.Title != "Frozen" {
					t.Errorf("details %+v", d)
				}
				if got := fake.Requests("/movie/900301"); got != tt.wantReqs {
					t.Errorf("%d requests, want %d", got, tt.wantReqs)
				}
				wantWait := time.Duration(0)
				if tt.wantReqs == 2 {
					wantWait = 420 * time.Millisecond
				}
				if got := time.Since(start); got != wantWait {
					t.Errorf("took %v, want the jittered pause %v", got, wantWait)
				}
			})
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Run("a wait that fits is waited, then the answer", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.RateLimit("1", 1)
			start := time.Now()
			got, err := c.Search(t.Context(), "Frozen", 0)
			if err != nil || len(got) != 1 {
				t.Fatalf("Search = %v, %v", got, err)
			}
			if el := time.Since(start); el != time.Second {
				t.Errorf("retried after %v, want Retry-After's 1s", el)
			}
			if fake.Total() != 2 {
				t.Errorf("%d requests, want 2", fake.Total())
			}
		})
	})
	t.Run("no header: a second", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.RateLimit("", 1)
			start := time.Now()
			if _, err := c.Search(t.Context(), "Frozen", 0); err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el != time.Second {
				t.Errorf("retried after %v, want 1s", el)
			}
		})
	})
	t.Run("429 again after the wait: unavailable", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.RateLimit("1", 0)
			if _, err := c.Search(t.Context(), "Frozen", 0); !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
			if fake.Total() != 2 {
				t.Errorf("%d requests, want 2", fake.Total())
			}
		})
	})
	t.Run("a wait past the deadline: unavailable at once, and every call holds off", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, logs := newClient(t, fake)
			fake.RateLimit("5", 1)
			start := time.Now()
			_, err := c.Search(t.Context(), "Frozen", 0)
			if !errors.Is(err, bot.ErrUpstreamUnavailable) || !strings.Contains(err.Error(), "429") {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable saying 429", err)
			}
			if el := time.Since(start); el != 0 {
				t.Errorf("gave up after %v, want at once", el)
			}
			// TMDB asked for 5 s: other calls in that time do not ask it.
			time.Sleep(2 * time.Second)
			if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
			if fake.Total() != 1 {
				t.Errorf("%d requests during the hold, want only the first", fake.Total())
			}
			// With 1.5 s left of the hold, a call waits it out within its 2 s.
			time.Sleep(1500 * time.Millisecond)
			start = time.Now()
			if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el != 1500*time.Millisecond {
				t.Errorf("answered after %v, want 1.5s", el)
			}
			if strings.Contains(logs.String(), "not calling it") {
				t.Errorf("a 429 opened the breaker:\n%s", logs)
			}
		})
	})
}

func TestSlowAnswers(t *testing.T) {
	t.Run("the call's budget", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.Slow(10 * time.Second)
			start := time.Now()
			_, err := c.Search(t.Context(), "Frozen", 0)
			if !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
			if el := time.Since(start); el != tmdb.DefaultTimeout {
				t.Errorf("gave up after %v, want the 2s budget", el)
			}
		})
	})
	t.Run("the caller's shorter deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.Slow(time.Second)
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Details(ctx, show(tmdbtest.Bluey))
			if !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
			if el := time.Since(start); el != 300*time.Millisecond {
				t.Errorf("gave up after %v, want the caller's 300ms", el)
			}
		})
	})
	t.Run("a slow answer within the budget", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake)
			fake.Slow(1900 * time.Millisecond)
			if _, err := c.Details(t.Context(), show(tmdbtest.Bluey)); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestCircuitBreaker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := tmdbtest.New(t, tmdbtest.InMemory())
		c, logs := newClient(t, fake)
		ctx := t.Context()
		fake.Fail(http.StatusInternalServerError, 0)
		for i := range tmdb.DefaultBreakerFailures {
			if _, err := c.Details(ctx, film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("call %d: err = %v", i, err)
			}
		}
		if got := fake.Total(); got != 2*tmdb.DefaultBreakerFailures {
			t.Fatalf("%d requests, want %d (each retried once)", got, 2*tmdb.DefaultBreakerFailures)
		}
		if n := lines(logs, "not calling it for a while"); n != 1 {
			t.Errorf("%d lines about the breaker opening, want 1:\n%s", n, logs)
		}

		// Open: refused at once, TMDB not asked.
		start := time.Now()
		for range 20 {
			_, err := c.Search(ctx, "Frozen", 0)
			if !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
		}
		if fake.Total() != 10 || time.Since(start) != 0 {
			t.Errorf("open breaker: %d requests (want 10), %v spent (want 0)", fake.Total(), time.Since(start))
		}

		// Half-open after the cooldown: one probe; it fails, so open again.
		time.Sleep(tmdb.DefaultBreakerCooldown)
		if _, err := c.Details(ctx, film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamUnavailable) {
			t.Fatalf("probe: err = %v", err)
		}
		if fake.Total() != 12 {
			t.Fatalf("%d requests, want 12 (the probe and its retry)", fake.Total())
		}
		if _, err := c.Details(ctx, film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamUnavailable) || fake.Total() != 12 {
			t.Fatalf("after a failed probe: err = %v, %d requests; want refused without asking", err, fake.Total())
		}

		// Next probe: while it is out, other calls are refused; its success
		// closes the breaker.
		time.Sleep(tmdb.DefaultBreakerCooldown)
		fake.Heal()
		fake.Slow(time.Second)
		probe := make(chan error)
		go func() {
			_, err := c.Details(ctx, film(tmdbtest.Frozen))
			probe <- err
		}()
		synctest.Wait() // the probe waits in the fake
		if _, err := c.Details(ctx, show(tmdbtest.Bluey)); !errors.Is(err, bot.ErrUpstreamUnavailable) {
			t.Fatalf("during the probe: err = %v, want refused", err)
		}
		if err := <-probe; err != nil {
			t.Fatalf("probe: %v", err)
		}
		fake.Slow(0)
		if _, err := c.Details(ctx, show(tmdbtest.Bluey)); err != nil {
			t.Fatalf("after a good probe: %v", err)
		}
		if fake.Total() != 14 {
			t.Errorf("%d requests, want 14", fake.Total())
		}
		if n := lines(logs, "answering again"); n != 1 {
			t.Errorf("%d lines about TMDB answering again, want 1:\n%s", n, logs)
		}
	})
}

// What does not say TMDB is failing must not open the breaker: 404s,
// refused credentials, 429s and callers whose own deadline is short.
func TestBreakerIgnoresWhatIsNotTMDBFailing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := tmdbtest.New(t, tmdbtest.InMemory())
		c, logs := newClient(t, fake)
		ctx := t.Context()
		n := 2 * tmdb.DefaultBreakerFailures
		for range n {
			_, _ = c.Details(ctx, film(42)) // 404
		}
		fake.Fail(http.StatusUnauthorized, n)
		for range n {
			_, _ = c.Details(ctx, film(tmdbtest.Frozen))
		}
		fake.RateLimit("0", 2*n)
		for range n {
			_, _ = c.Details(ctx, film(tmdbtest.Frozen))
		}
		fake.Heal()
		fake.Slow(time.Second)
		for range n {
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			_, _ = c.Details(short, film(tmdbtest.Frozen))
			cancel()
		}
		fake.Slow(0)
		before := fake.Total()
		if _, err := c.Details(ctx, film(tmdbtest.Frozen)); err != nil {
			t.Fatalf("err = %v", err)
		}
		if fake.Total() != before+1 || strings.Contains(logs.String(), "not calling it") {
			t.Errorf("the breaker opened:\n%s", logs)
		}

		// Whereas the call's own budget running out is TMDB being slow.
		fake.Slow(time.Minute)
		for range tmdb.DefaultBreakerFailures {
			_, _ = c.Details(ctx, film(tmdbtest.Frozen))
		}
		if n := lines(logs, "not calling it"); n != 1 {
			t.Errorf("5 answers over budget: %d lines about the breaker, want 1:\n%s", n, logs)
		}
	})
}

func TestSharedRateLimit(t *testing.T) {
	t.Run("asks the shared limiter and waits for a slot", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			lim := &scriptedLimiter{answer: func(n int) (bool, error) { return n > 3, nil }}
			c, _ := newClient(t, fake, func(c *tmdb.Config) { c.Limiter = lim })
			start := time.Now()
			if _, err := c.Search(t.Context(), "Frozen", 0); err != nil {
				t.Fatal(err)
			}
			// Three refusals, each followed by a pause of one slot (1/35 s).
			if el, want := time.Since(start), 3*(time.Second/35); el != want {
				t.Errorf("waited %v, want %v", el, want)
			}
			if lim.calls[0] != (limiterCall{"tmdb", 35, time.Second}) {
				t.Errorf("asked the limiter %+v, want key tmdb, 35 per second", lim.calls[0])
			}
		})
	})
	t.Run("no slot before the deadline: unavailable, TMDB not asked", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			lim := &scriptedLimiter{answer: func(int) (bool, error) { return false, nil }}
			c, _ := newClient(t, fake, func(c *tmdb.Config) { c.Limiter = lim })
			_, err := c.Search(t.Context(), "Frozen", 0)
			if !errors.Is(err, bot.ErrUpstreamUnavailable) || fake.Total() != 0 {
				t.Fatalf("err = %v, %d requests; want unavailable without a request", err, fake.Total())
			}
		})
	})
	t.Run("two replicas share one window", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			store := memory.New()
			edit := func(c *tmdb.Config) { c.Limiter, c.Rate = store, 4 }
			a, _ := newClient(t, fake, edit)
			b, _ := newClient(t, fake, edit)
			start := time.Now()
			for _, c := range []*tmdb.Client{a, b, a, b} {
				if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
					t.Fatal(err)
				}
			}
			if time.Since(start) != 0 {
				t.Fatalf("the first 4 requests waited %v", time.Since(start))
			}
			if _, err := a.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el < time.Second {
				t.Errorf("the 5th request of the second went at %v, before the window ended", el)
			}
		})
	})
	t.Run("a failing limiter falls back to the process's own rate, logged once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			broken := true
			lim := &scriptedLimiter{answer: func(int) (bool, error) {
				if broken {
					return false, errors.New("redis: connection refused")
				}
				return true, nil
			}}
			c, logs := newClient(t, fake, func(c *tmdb.Config) { c.Limiter, c.Rate = lim, 2 })
			start := time.Now()
			for range 4 {
				if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
					t.Fatal(err)
				}
			}
			// A burst of 2, then one request per half second.
			if el := time.Since(start); el != time.Second {
				t.Errorf("4 requests at 2/s took %v, want 1s", el)
			}
			if n := lines(logs, "shared rate limiter failed"); n != 1 {
				t.Errorf("%d lines about the limiter failing, want 1:\n%s", n, logs)
			}
			// For 5 s after a failure the limiter is not asked: a hanging
			// Redis would add its timeout to every request.
			if lim.count() != 1 {
				t.Errorf("%d limiter calls, want 1", lim.count())
			}
			broken = false
			time.Sleep(4 * time.Second)
			if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
				t.Fatal(err)
			}
			if lim.count() != 2 {
				t.Errorf("%d limiter calls 5 s after it failed, want 2", lim.count())
			}
			if n := lines(logs, "shared rate limiter works again"); n != 1 {
				t.Errorf("%d lines about the limiter working again, want 1:\n%s", n, logs)
			}
			if fake.Total() != 5 {
				t.Errorf("%d requests, want 5", fake.Total())
			}
		})
	})
	t.Run("without a shared limiter, the process's own rate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fake := tmdbtest.New(t, tmdbtest.InMemory())
			c, _ := newClient(t, fake, func(c *tmdb.Config) { c.Rate = 1 })
			start := time.Now()
			for range 3 {
				if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
					t.Fatal(err)
				}
			}
			if el := time.Since(start); el != 2*time.Second {
				t.Errorf("3 requests at 1/s took %v, want 2s", el)
			}
		})
	})
}
