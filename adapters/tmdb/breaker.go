package tmdb

import (
	"sync"
	"time"
)

// outcome is what one exchange with TMDB says about its health.
type outcome int

const (
	// neutral: says nothing about TMDB's health (our credentials refused,
	// rate limited, the caller gave up).
	neutral outcome = iota
	// healthy: TMDB answered (a result, or a 404).
	healthy
	// failed: TMDB failed (5xx after the retry, no connection, too slow for
	// the call's budget, an answer that is not TMDB's JSON).
	failed
)

// breaker stops calling a failing TMDB for a while: after threshold
// consecutive failures it opens for cooldown, then lets one probe through
// (half-open); the probe's success closes it, its failure opens it again.
type breaker struct {
	threshold int
	cooldown  time.Duration

	mu        sync.Mutex
	failures  int
	openUntil time.Time // zero while closed
	probing   bool
}

// allow reports whether a request may be sent now, and whether it is the
// half-open probe (whose outcome decides the breaker's state).
func (b *breaker) allow(now time.Time) (ok, probe bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.openUntil.IsZero():
		return true, false
	case now.Before(b.openUntil), b.probing:
		return false, false
	default:
		b.probing = true
		return true, true
	}
}

// transition is what done changed, for the log.
type transition int

const (
	unchanged transition = iota
	opened
	closed
)

// done records the outcome of a request allowed by allow.
func (b *breaker) done(probe bool, o outcome, now time.Time) transition {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	switch o {
	case healthy:
		b.failures = 0
		if !b.openUntil.IsZero() {
			b.openUntil = time.Time{}
			return closed
		}
	case failed:
		b.failures++
		if probe || (b.openUntil.IsZero() && b.failures >= b.threshold) {
			b.openUntil = now.Add(b.cooldown)
			return opened
		}
	}
	return unchanged
}
