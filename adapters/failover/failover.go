// Package failover keeps the bot answering when its shared store (Redis) is
// down or slow: every operation goes to the primary store until one fails
// for want of it; from then on the fallback (in memory) serves, a single
// warning is logged for the outage, and the primary is probed in the
// background until it answers again, when it takes over once more.
//
// What the fallback knows: the TMDB cache, rate-limit windows and
// de-duplication marks start empty per replica (so during an outage limits
// and de-duplication hold per replica, not across replicas). De-duplication
// marks, conversations and settings are mirrored into the fallback while
// the primary is healthy, so a redelivery to this replica is still caught,
// a thread keeps its context and a community keeps its last known profile
// through an outage; a conversation moved on during an outage goes on from
// there after it (Admit seeds the primary with it).
//
// A primary error that only says its client had no free connection in time
// (Options.Busy) is not an outage: that one operation is answered from the
// fallback, counted (Busy) and logged at most once per BusyLogEvery, and the
// next one tries the primary again. A profile set during an outage is kept in the
// fallback and written to the primary when it returns, before the primary
// takes over again (last write wins, if another replica changed the same
// community meanwhile); it is lost only if this process stops before then.
package failover

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"advisorybot/bot"
)

// Store is every shared-state interface of the bot, and Allow, the TMDB
// client's shared rate limit (tmdb.Limiter).
type Store interface {
	bot.Gate
	bot.Cache
	bot.Settings
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Primary is the shared store, which can be probed.
type Primary interface {
	Store
	Ping(ctx context.Context) error
	// AdmitSeeded is Admit, starting from seed when the primary holds no
	// conversation at the request's ThreadKey.
	AdmitSeeded(ctx context.Context, r bot.Admit, seed *bot.Thread) (bot.Admission, error)
}

// Fallback is the store in process (adapters/memory).
type Fallback interface {
	Store
	// Record keeps what the primary decided for a question: the event as
	// seen and an admitted question's conversation.
	Record(r bot.Admit, a bot.Admission)
	// Thread returns the conversation kept for a key within a scope.
	Thread(scope, key string) (bot.Thread, bool)
}

// Options configure a Failover. The zero value is usable.
type Options struct {
	// Name is the primary's name in logs (default "redis").
	Name   string
	Logger *slog.Logger
	// ProbeEvery is how often a down primary is pinged (default 1s).
	ProbeEvery time.Duration
	// ProbeTimeout bounds one ping (default 100ms).
	ProbeTimeout time.Duration
	// Unavailable says whether a primary error means an outage; other
	// errors (a corrupt value, say) are returned as they are. Default: all.
	Unavailable func(error) bool
	// Busy says whether a primary error means the primary's client is
	// saturated (a connection pool wait timed out), which is not an outage.
	// Default: none.
	Busy func(error) bool
	// BusyLogEvery is how often a busy primary is logged at most (default 10s).
	BusyLogEvery time.Duration
	// OnError, when set, is told of every error the primary returns to an
	// operation or to Check (not to the background probe), for metrics: op
	// is the operation ("admit", "cache get", "ping"...), kind is "outage"
	// (Unavailable), "busy" (Busy) or "other" (returned to the caller). It
	// must be quick and safe for concurrent use.
	OnError func(op, kind string)
}

// Failover implements Store on a primary with a fallback. It is safe for
// concurrent use; Close stops its probe.
type Failover struct {
	primary   Primary
	fallback  Fallback
	name      string
	log       *slog.Logger
	every     time.Duration
	timeout   time.Duration
	isOutage  func(error) bool
	isBusy    func(error) bool
	busyEvery time.Duration
	onError   func(op, kind string)

	down atomic.Bool

	busy       atomic.Int64 // operations answered from the fallback because the primary was busy
	busyLogged atomic.Int64 // busy count at the last log line
	busyLogAt  atomic.Int64 // unix nanoseconds of the last log line

	mu        sync.Mutex
	downSince time.Time
	pending   map[string]bot.Profile // set while down, not yet in the primary
	probing   bool
	closed    bool
	stop      chan struct{}
	wg        sync.WaitGroup
}

// New returns a Failover that starts on the primary.
func New(primary Primary, fallback Fallback, o Options) *Failover {
	if o.Name == "" {
		o.Name = "redis"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ProbeEvery <= 0 {
		o.ProbeEvery = time.Second
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = 100 * time.Millisecond
	}
	if o.Unavailable == nil {
		o.Unavailable = func(err error) bool { return err != nil }
	}
	if o.Busy == nil {
		o.Busy = func(error) bool { return false }
	}
	if o.BusyLogEvery <= 0 {
		o.BusyLogEvery = 10 * time.Second
	}
	if o.OnError == nil {
		o.OnError = func(string, string) {}
	}
	return &Failover{
		primary: primary, fallback: fallback, name: o.Name, log: o.Logger,
		every: o.ProbeEvery, timeout: o.ProbeTimeout, isOutage: o.Unavailable,
		isBusy: o.Busy, busyEvery: o.BusyLogEvery, onError: o.OnError,
		pending: map[string]bot.Profile{}, stop: make(chan struct{}),
	}
}

// Check pings the primary once, e.g. at start or for a readiness probe,
// and switches to the fallback if it does not answer. A primary that is
// only busy (Options.Busy) is not switched from.
func (f *Failover) Check(ctx context.Context) {
	if f.down.Load() {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	f.failed(ctx, "ping", f.primary.Ping(pctx))
}

// Healthy reports whether the primary is serving.
func (f *Failover) Healthy() bool { return !f.down.Load() }

// Close stops probing. It does not close the stores.
func (f *Failover) Close() {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.stop)
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// Busy counts the operations answered from the fallback because the
// primary's client was saturated, for metrics.
func (f *Failover) Busy() int64 { return f.busy.Load() }

// failed reports whether the fallback is to answer after err from the
// primary: an outage, which switches to the fallback, or a busy primary,
// which does not. A caller's own cancellation is neither.
func (f *Failover) failed(ctx context.Context, op string, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	if f.isBusy(err) {
		f.onError(op, "busy")
		f.busied(ctx, op, err)
		return true
	}
	if !f.isOutage(err) {
		f.onError(op, "other")
		return false
	}
	f.onError(op, "outage")
	f.trip(ctx, op, err)
	return true
}

// busied counts a busy primary and logs it at most once per busyEvery,
// with how many were answered from the fallback since the last line.
func (f *Failover) busied(ctx context.Context, op string, err error) {
	n := f.busy.Add(1)
	now := time.Now().UnixNano()
	last := f.busyLogAt.Load()
	if now-last < int64(f.busyEvery) || !f.busyLogAt.CompareAndSwap(last, now) {
		return
	}
	since := n - f.busyLogged.Swap(n)
	f.log.WarnContext(ctx, f.name+" client busy (no free connection in time); answered from memory, not an outage",
		"op", op, "err", err, "since_last", since)
}

func (f *Failover) trip(ctx context.Context, op string, err error) {
	if !f.down.CompareAndSwap(false, true) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.downSince = time.Now()
	f.log.WarnContext(ctx, f.name+" unavailable; answering from memory until it returns", "op", op, "err", err)
	if f.probing || f.closed {
		return
	}
	f.probing = true
	f.wg.Add(1)
	go f.probe()
}

// probe pings the primary until it answers, replays the profiles set
// meanwhile, and hands the traffic back to it.
func (f *Failover) probe() {
	defer f.wg.Done()
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			f.mu.Lock()
			f.probing = false
			f.mu.Unlock()
			return
		case <-t.C:
		}
		if f.recovered() {
			return
		}
	}
}

func (f *Failover) recovered() bool {
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	if err := f.primary.Ping(ctx); err != nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for community, p := range f.pending {
		wctx, cancel := context.WithTimeout(context.Background(), f.timeout)
		err := f.primary.SetProfile(wctx, community, p)
		cancel()
		if err != nil {
			return false // still not writable: stay on the fallback
		}
		delete(f.pending, community)
	}
	f.probing = false
	// Log before switching back, so the line is never missing for anyone
	// who sees the store healthy.
	f.log.Info(f.name+" is back; using it again", "outage", time.Since(f.downSince).Round(time.Millisecond))
	f.down.Store(false)
	return true
}

// Admit implements bot.Gate. While the primary is healthy, what it decides
// is recorded in the fallback, and the conversation the fallback holds is
// passed as the primary's seed: a thread moved on during an outage is found
// after it, at no extra round trip.
func (f *Failover) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	if err := r.Validate(); err != nil {
		return bot.Admission{LimitedBy: -1}, err
	}
	if !f.down.Load() {
		var seed *bot.Thread
		if r.ThreadKey != "" {
			if t, ok := f.fallback.Thread(r.Scope, r.ThreadKey); ok {
				seed = &t
			}
		}
		a, err := f.primary.AdmitSeeded(ctx, r, seed)
		if !f.failed(ctx, "admit", err) {
			if err == nil {
				f.fallback.Record(r, a)
			}
			return a, err
		}
	}
	return f.fallback.Admit(ctx, r)
}

// Get implements bot.Cache.
func (f *Failover) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if !f.down.Load() {
		b, ok, err := f.primary.Get(ctx, key)
		if !f.failed(ctx, "cache get", err) {
			return b, ok, err
		}
	}
	return f.fallback.Get(ctx, key)
}

// Set implements bot.Cache.
func (f *Failover) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if !f.down.Load() {
		err := f.primary.Set(ctx, key, value, ttl)
		if !f.failed(ctx, "cache set", err) {
			return err
		}
	}
	return f.fallback.Set(ctx, key, value, ttl)
}

// Allow counts an event in key's window (the TMDB client's shared rate,
// tmdb.Limiter); during an outage each replica counts on its own.
func (f *Failover) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	if !f.down.Load() {
		ok, err := f.primary.Allow(ctx, key, limit, window)
		if !f.failed(ctx, "rate limit", err) {
			return ok, err
		}
	}
	return f.fallback.Allow(ctx, key, limit, window)
}

// Profile implements bot.Settings; a profile read from the primary is
// mirrored so it still applies during an outage.
func (f *Failover) Profile(ctx context.Context, community string) (bot.Profile, bool, error) {
	if !f.down.Load() {
		p, ok, err := f.primary.Profile(ctx, community)
		if !f.failed(ctx, "profile", err) {
			if ok {
				f.mirror(ctx, community, p)
			}
			return p, ok, err
		}
	}
	return f.fallback.Profile(ctx, community)
}

// SetProfile implements bot.Settings. During an outage the profile is kept
// in the fallback and queued for the primary (see the package comment).
func (f *Failover) SetProfile(ctx context.Context, community string, p bot.Profile) error {
	if !f.down.Load() {
		err := f.primary.SetProfile(ctx, community, p)
		if !f.failed(ctx, "set profile", err) {
			if err == nil {
				f.mirror(ctx, community, p)
			}
			return err
		}
	}
	if err := f.fallback.SetProfile(ctx, community, p); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.down.Load() {
		// The primary came back while this was written: write it there now.
		return f.primary.SetProfile(ctx, community, p)
	}
	f.pending[community] = p
	f.log.WarnContext(ctx, "profile saved in memory; it will be written to "+f.name+" when it returns", "community", community)
	return nil
}

// Pending lists the communities whose profile waits for the primary.
func (f *Failover) Pending() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.pending))
	for c := range f.pending {
		out = append(out, c)
	}
	return out
}

func (f *Failover) mirror(ctx context.Context, community string, p bot.Profile) {
	if q, ok, err := f.fallback.Profile(ctx, community); err == nil && ok && q == p {
		return
	}
	if err := f.fallback.SetProfile(ctx, community, p); err != nil {
		f.log.DebugContext(ctx, "could not mirror profile", "community", community, "err", err)
	}
}
