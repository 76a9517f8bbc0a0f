package failover_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/internal/syncbuf"
)

var errDown = errors.New("connection refused")

// flaky is a primary that can be switched off; its data survives.
type flaky struct {
	*memory.Store
	down  atomic.Bool
	calls atomic.Int64
	err   error // returned instead of errDown when set
}

func (f *flaky) fail() error {
	f.calls.Add(1)
	if f.err != nil {
		return f.err
	}
	if f.down.Load() {
		return errDown
	}
	return nil
}

func (f *flaky) Ping(context.Context) error { return f.fail() }
func (f *flaky) Get(ctx context.Context, k string) ([]byte, bool, error) {
	if err := f.fail(); err != nil {
		return nil, false, err
	}
	return f.Store.Get(ctx, k)
}
func (f *flaky) Allow(ctx context.Context, k string, n int, w time.Duration) (bool, error) {
	if err := f.fail(); err != nil {
		return false, err
	}
	return f.Store.Allow(ctx, k, n, w)
}
func (f *flaky) Profile(ctx context.Context, c string) (bot.Profile, bool, error) {
	if err := f.fail(); err != nil {
		return bot.Profile{}, false, err
	}
	return f.Store.Profile(ctx, c)
}
func (f *flaky) SetProfile(ctx context.Context, c string, p bot.Profile) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.SetProfile(ctx, c, p)
}

func setup(t *testing.T) (*flaky, *failover.Failover, *syncbuf.Buffer) {
	t.Helper()
	p := &flaky{Store: memory.New()}
	var logs syncbuf.Buffer
	f := failover.New(p, memory.New(), failover.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), ProbeEvery: 10 * time.Millisecond})
	t.Cleanup(f.Close)
	return p, f, &logs
}

func waitHealthy(t *testing.T, f *failover.Failover) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); !f.Healthy(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never returned to the primary")
		}
	}
}

func TestOutageIsLoggedOnceAndEnds(t *testing.T) {
	ctx := context.Background()
	p, f, logs := setup(t)
	p.down.Store(true)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if ok, err := f.Allow(ctx, "k", 1000, time.Minute); err != nil || !ok {
				t.Errorf("Allow during an outage = %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
	if f.Healthy() {
		t.Fatal("healthy during an outage")
	}
	if n := strings.Count(logs.String(), "redis unavailable"); n != 1 {
		t.Fatalf("%d outage lines for 50 concurrent failures; want 1:\n%s", n, logs)
	}
	calls := p.calls.Load()
	f.Allow(ctx, "k", 1000, time.Minute)
	if p.calls.Load() > calls+1 { // at most a probe in between
		t.Error("a request went to the primary during the outage")
	}
	p.down.Store(false)
	waitHealthy(t, f)
	if !strings.Contains(logs.String(), "redis is back") {
		t.Errorf("no recovery line:\n%s", logs)
	}
	// A second outage is a second line.
	p.down.Store(true)
	f.Get(ctx, "x")
	if n := strings.Count(logs.String(), "redis unavailable"); n != 2 {
		t.Fatalf("%d outage lines after two outages; want 2", n)
	}
}

func TestNotAnOutage(t *testing.T) {
	ctx := context.Background()
	t.Run("caller cancelled", func(t *testing.T) {
		p, f, _ := setup(t)
		p.err = context.Canceled
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := f.Get(cctx, "k"); err == nil {
			t.Fatal("no error for a cancelled caller")
		}
		if !f.Healthy() {
			t.Fatal("a caller's cancellation was taken for an outage")
		}
	})
	t.Run("classified as data error", func(t *testing.T) {
		p := &flaky{Store: memory.New(), err: errors.New("decoding profile: bad json")}
		f := failover.New(p, memory.New(), failover.Options{Unavailable: func(err error) bool { return !strings.Contains(err.Error(), "decoding") }})
		defer f.Close()
		if _, _, err := f.Profile(ctx, "c"); err == nil {
			t.Fatal("the data error was hidden")
		}
		if !f.Healthy() {
			t.Fatal("a data error was taken for an outage")
		}
	})
}

func TestSettingsThroughAnOutage(t *testing.T) {
	ctx := context.Background()
	p, f, _ := setup(t)
	if err := f.SetProfile(ctx, "slack:T1", bot.Profile{Age: 7}); err != nil {
		t.Fatal(err)
	}
	p.down.Store(true)
	// Known before the outage: still applies.
	if got, ok, err := f.Profile(ctx, "slack:T1"); err != nil || !ok || got.Age != 7 {
		t.Fatalf("profile during the outage = %+v, %v, %v; want the last known, age 7", got, ok, err)
	}
	// Set during the outage: applies now, queued for the primary.
	if err := f.SetProfile(ctx, "slack:T2", bot.Profile{Age: 10}); err != nil {
		t.Fatalf("SetProfile during the outage: %v", err)
	}
	if got, _, _ := f.Profile(ctx, "slack:T2"); got.Age != 10 {
		t.Fatalf("profile set during the outage reads %+v", got)
	}
	if got := f.Pending(); len(got) != 1 || got[0] != "slack:T2" {
		t.Fatalf("pending = %v", got)
	}
	if _, ok, _ := p.Store.Profile(ctx, "slack:T2"); ok {
		t.Fatal("written to the primary while it was down")
	}
	p.down.Store(false)
	waitHealthy(t, f)
	if got, ok, _ := p.Store.Profile(ctx, "slack:T2"); !ok || got.Age != 10 {
		t.Fatalf("primary after recovery: %+v, %v; want the profile set during the outage", got, ok)
	}
	if len(f.Pending()) != 0 {
		t.Fatalf("still pending: %v", f.Pending())
	}
}

func (f *flaky) AdmitSeeded(ctx context.Context, r bot.Admit, seed *bot.Thread) (bot.Admission, error) {
	if err := f.fail(); err != nil {
		return bot.Admission{LimitedBy: -1}, err
	}
	return f.Store.AdmitSeeded(ctx, r, seed)
}

func (f *flaky) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	return f.AdmitSeeded(ctx, r, nil)
}

func question(event string, note bot.ThreadNote) bot.Admit {
	return bot.Admit{
		Scope: "slack:T1", EventKey: event, DedupeTTL: time.Minute,
		Limits:    []bot.LimitCheck{{Key: "user:U1", Max: 100, Window: time.Minute}},
		ThreadKey: "C1", ThreadTTL: time.Minute, Note: note,
	}
}

// TestAdmitAcrossAnOutage: during an outage questions are admitted from
// memory, which knows the events and the thread seen before it; after it,
// the thread moved on during the outage goes on in the primary.
func TestAdmitAcrossAnOutage(t *testing.T) {
	ctx := context.Background()
	p, f, logs := setup(t)
	age := 8
	if a, err := f.Admit(ctx, question("E1", bot.ThreadNote{Title: "Ballerina", Age: &age})); err != nil || !a.Admitted() {
		t.Fatalf("healthy: %+v, %v", a, err)
	}
	p.down.Store(true)
	// A redelivery of an event seen before the outage is still a duplicate.
	if a, err := f.Admit(ctx, question("E1", bot.ThreadNote{})); err != nil || !a.Duplicate {
		t.Fatalf("redelivery during the outage: %+v, %v; want a duplicate", a, err)
	}
	// The thread from before goes on.
	a, err := f.Admit(ctx, question("E2", bot.ThreadNote{Title: "Frozen"}))
	if want := (bot.Thread{Title: "Frozen", Age: &age}); err != nil || !a.HadThread || !a.Thread.Equal(want) {
		t.Fatalf("during the outage: %+v %v, %v; want %v", a, a.Thread, err, want)
	}
	if f.Healthy() || strings.Count(logs.String(), "redis unavailable") != 1 {
		t.Fatalf("healthy %v; log:\n%s", f.Healthy(), logs)
	}
	calls := p.calls.Load()
	f.Admit(ctx, question("E3", bot.ThreadNote{}))
	if p.calls.Load() > calls+1 { // at most a probe in between
		t.Error("a question went to the primary during the outage")
	}
	p.down.Store(false)
	waitHealthy(t, f)
	// The primary's thread (Ballerina) was overtaken during the outage, but
	// it is the primary's own and wins; a thread only memory knows goes on.
	p.Store = memory.New() // the primary lost its data
	a, err = f.Admit(ctx, question("E4", bot.ThreadNote{}))
	if want := (bot.Thread{Title: "Frozen", Age: &age}); err != nil || !a.HadThread || !a.Thread.Equal(want) {
		t.Fatalf("after the outage: %+v %v, %v; want %v", a, a.Thread, err, want)
	}
	if th, ok := p.Store.Thread("slack:T1", "C1"); !ok || !th.Equal(bot.Thread{Title: "Frozen", Age: &age}) {
		t.Fatalf("primary after the outage holds %v, %v", th, ok)
	}
}

// TestAdmitPrimaryWins: when the primary knows the thread (another replica
// moved it on) its version is the one that goes on.
func TestAdmitPrimaryWins(t *testing.T) {
	ctx := context.Background()
	p, f, _ := setup(t)
	f.Admit(ctx, question("E1", bot.ThreadNote{Title: "Ballerina"}))
	p.Store.Admit(ctx, question("E2", bot.ThreadNote{Title: "Bluey"})) // another replica
	a, err := f.Admit(ctx, question("E3", bot.ThreadNote{}))
	if err != nil || a.Thread.Title != "Bluey" {
		t.Fatalf("%+v %v, %v; want the primary's Bluey", a, a.Thread, err)
	}
}

var errBusy = errors.New("redis: connection pool timeout")

// TestBusyIsNotAnOutage: an error classified as Busy is answered from the
// fallback that once, counted, logged once per interval, and the next
// operation goes to the primary again.
func TestBusyIsNotAnOutage(t *testing.T) {
	ctx := context.Background()
	p := &flaky{Store: memory.New()}
	var logs syncbuf.Buffer
	f := failover.New(p, memory.New(), failover.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Busy:   func(err error) bool { return errors.Is(err, errBusy) },
	})
	defer f.Close()
	p.err = errBusy
	for i := range 5 {
		a, err := f.Admit(ctx, question(fmt.Sprint("E", i), bot.ThreadNote{Title: "Ballerina"}))
		if err != nil || !a.Admitted() {
			t.Fatalf("busy primary: %+v, %v; want admitted from memory", a, err)
		}
		if _, _, err := f.Get(ctx, "k"); err != nil {
			t.Fatalf("busy primary, Get: %v", err)
		}
	}
	if !f.Healthy() {
		t.Fatal("a busy primary was taken for an outage")
	}
	if got := f.Busy(); got != 10 {
		t.Errorf("Busy() = %d; want 10", got)
	}
	if n := strings.Count(logs.String(), "busy"); n != 1 {
		t.Errorf("%d busy lines for 10 busy operations; want 1:\n%s", n, logs.String())
	}
	p.err = nil
	calls := p.calls.Load()
	if a, err := f.Admit(ctx, question("E9", bot.ThreadNote{})); err != nil || !a.Admitted() {
		t.Fatalf("after: %+v, %v", a, err)
	}
	if p.calls.Load() != calls+1 {
		t.Fatal("the next question did not go to the primary")
	}
	if strings.Contains(logs.String(), "unavailable") {
		t.Errorf("an outage was logged:\n%s", logs.String())
	}
}

// TestAdmitInvalid: a bad request is the caller's error, not an outage.
func TestAdmitInvalid(t *testing.T) {
	p, f, _ := setup(t)
	if _, err := f.Admit(context.Background(), bot.Admit{EventKey: "E1"}); !errors.Is(err, bot.ErrInvalidAdmit) {
		t.Fatalf("Admit without a ttl = %v; want ErrInvalidAdmit", err)
	}
	if !f.Healthy() || p.calls.Load() != 0 {
		t.Fatalf("healthy %v, primary calls %d", f.Healthy(), p.calls.Load())
	}
}

// TestOnError: every primary error an operation or Check meets is told to
// OnError once, with the operation and whether it was an outage, a busy
// client or another error; a caller's own cancellation is not.
func TestOnError(t *testing.T) {
	errData := errors.New("decoding profile: bad json")
	tests := []struct {
		name string
		err  error
		ctx  func() context.Context
		op   func(context.Context, *failover.Failover)
		want string
	}{
		{"outage", errDown, context.Background, get, "cache get outage"},
		{"busy client", errBusy, context.Background, get, "cache get busy"},
		{"other error", errData, context.Background, profile, "profile other"},
		{"caller cancelled", context.Canceled, cancelled, get, ""},
		{"ping outage", errDown, context.Background, check, "ping outage"},
		{"ping busy", errBusy, context.Background, check, "ping busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &flaky{Store: memory.New(), err: tt.err}
			var mu sync.Mutex
			var got []string
			f := failover.New(p, memory.New(), failover.Options{
				Unavailable: func(err error) bool { return !errors.Is(err, errData) && !errors.Is(err, errBusy) },
				Busy:        func(err error) bool { return errors.Is(err, errBusy) },
				OnError: func(op, kind string) {
					mu.Lock()
					defer mu.Unlock()
					got = append(got, op+" "+kind)
				},
			})
			defer f.Close()
			tt.op(tt.ctx(), f)
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(got, ", ") != tt.want {
				t.Errorf("OnError saw %q, want %q", got, tt.want)
			}
			if wantDown := strings.HasSuffix(tt.want, "outage"); f.Healthy() == wantDown {
				t.Errorf("Healthy() = %v after %q", f.Healthy(), tt.want)
			}
		})
	}
}

func get(ctx context.Context, f *failover.Failover)     { _, _, _ = f.Get(ctx, "k") }
func profile(ctx context.Context, f *failover.Failover) { _, _, _ = f.Profile(ctx, "c") }
func check(ctx context.Context, f *failover.Failover)   { f.Check(ctx) }

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
