package tmdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// errNoSlot: the rate allows no request before the call's deadline.
var errNoSlot = errors.New("no request slot under the TMDB rate limit before the deadline")

// limiter holds outgoing requests under rate per second: through the shared
// Limiter (every replica counts in one window) when there is one, and
// through an in-process token bucket when there is none, or for a few
// seconds after it failed.
type limiter struct {
	shared Limiter
	key    string
	rate   int
	local  *rate.Limiter
	log    *slog.Logger
	jitter func() float64

	mu       sync.Mutex
	degraded bool      // the shared limiter failed; logged once per outage
	retryAt  time.Time // while degraded, when to try the shared limiter again
}

// sharedRetry is how long the process keeps to its own rate after the
// shared limiter failed, so that a Redis that hangs does not add its
// timeout to every TMDB request.
const sharedRetry = 5 * time.Second

func newLimiter(shared Limiter, key string, perSecond int, log *slog.Logger, jitter func() float64) *limiter {
	return &limiter{
		shared: shared, key: key, rate: perSecond, log: log, jitter: jitter,
		local: rate.NewLimiter(rate.Limit(perSecond), perSecond),
	}
}

// wait blocks until a request may be sent, or returns an error when none
// may be before ctx's deadline.
func (l *limiter) wait(ctx context.Context) error {
	if l.shared == nil || l.skipShared() {
		return l.waitLocal(ctx)
	}
	// One slot of the window, so polling neither spins nor oversleeps.
	slot := time.Second / time.Duration(l.rate)
	for {
		ok, err := l.shared.Allow(ctx, l.key, l.rate, time.Second)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			l.setDegraded(ctx, err)
			return l.waitLocal(ctx)
		}
		l.setDegraded(ctx, nil)
		if ok {
			return nil
		}
		d := time.Duration(float64(slot) * (0.5 + l.jitter()))
		if !fits(ctx, d) {
			return errNoSlot
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

func (l *limiter) waitLocal(ctx context.Context) error {
	if err := l.local.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errNoSlot // Wait refuses at once when the wait would pass the deadline
	}
	return nil
}

func (l *limiter) skipShared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.degraded && time.Now().Before(l.retryAt)
}

// setDegraded logs when the shared limiter starts failing and when it
// works again: once per outage, not per request.
func (l *limiter) setDegraded(ctx context.Context, err error) {
	l.mu.Lock()
	was := l.degraded
	l.degraded = err != nil
	if err != nil {
		l.retryAt = time.Now().Add(sharedRetry)
	}
	l.mu.Unlock()
	switch {
	case err != nil && !was:
		l.log.WarnContext(ctx, "tmdb: the shared rate limiter failed; each replica now holds itself to the rate on its own",
			"rate_per_second", l.rate, "err", err)
	case err == nil && was:
		l.log.InfoContext(ctx, "tmdb: the shared rate limiter works again")
	}
}

// fits reports whether waiting d still leaves ctx time to run.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting %s: %w", d, context.Cause(ctx))
	}
}
