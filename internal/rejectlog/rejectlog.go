// Package rejectlog logs rejected requests without letting a flood of them
// flood the log: per reason, the first rejection of an interval is logged at
// once and the rest are counted and reported in one line when the next
// interval begins.
package rejectlog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultInterval is how often a reason is logged at most.
const DefaultInterval = 10 * time.Second

// Log summarises rejections per reason. The zero value is not usable; use New.
type Log struct {
	log      *slog.Logger
	interval time.Duration
	now      func() time.Time
	// counted, when set, is told of every rejection (a metric).
	counted func(reason string)

	mu      sync.Mutex
	reasons map[string]*window
}

type window struct {
	start      time.Time
	suppressed int
}

// Option configures a Log.
type Option func(*Log)

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(l *Log) { l.now = now } }

// WithCounter calls count for every rejection, logged or not.
func WithCounter(count func(reason string)) Option { return func(l *Log) { l.counted = count } }

// New returns a Log that writes to log at most once per reason and interval
// (DefaultInterval when interval <= 0).
func New(log *slog.Logger, interval time.Duration, opts ...Option) *Log {
	if interval <= 0 {
		interval = DefaultInterval
	}
	l := &Log{log: log, interval: interval, now: time.Now, reasons: map[string]*window{}}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Reject records one rejected request. reason must come from a small fixed
// set (it is a map key and a metric label); attrs describe this request and
// are logged only when this rejection is the one that gets a line.
func (l *Log) Reject(ctx context.Context, reason string, attrs ...any) {
	if l.counted != nil {
		l.counted(reason)
	}
	now := l.now()
	l.mu.Lock()
	w, ok := l.reasons[reason]
	if ok && now.Sub(w.start) < l.interval {
		w.suppressed++
		l.mu.Unlock()
		return
	}
	suppressed := 0
	if ok {
		suppressed = w.suppressed
	} else {
		w = &window{}
		l.reasons[reason] = w
	}
	w.start, w.suppressed = now, 0
	l.mu.Unlock()

	args := append([]any{"reason", reason}, attrs...)
	if suppressed > 0 {
		args = append(args, "suppressed_since_last", suppressed)
	}
	l.log.WarnContext(ctx, "request rejected", args...)
}
