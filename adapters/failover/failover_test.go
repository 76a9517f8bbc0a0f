package failover_test

import (
	"context"
	"errors"
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

func (f *flaky) Recall(ctx context.Context, k string) (bot.Conversation, bool, error) {
	if err := f.fail(); err != nil {
		return bot.Conversation{}, false, err
	}
	return f.Store.Recall(ctx, k)
}

func (f *flaky) Remember(ctx context.Context, k string, c bot.Conversation, ttl time.Duration) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Remember(ctx, k, c, ttl)
}

// TestConversationsAcrossAnOutage: a thread keeps its context into an
// outage and out of it.
func TestConversationsAcrossAnOutage(t *testing.T) {
	ctx := context.Background()
	p, f, _ := setup(t)
	if err := f.Remember(ctx, "before", bot.Conversation{ReviewID: "a"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	p.down.Store(true)
	if c, ok, _ := f.Recall(ctx, "before"); !ok || c.ReviewID != "a" {
		t.Fatalf("during the outage, a thread from before: %+v, %v", c, ok)
	}
	if err := f.Remember(ctx, "during", bot.Conversation{ReviewID: "b"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	p.down.Store(false)
	waitHealthy(t, f)
	if c, ok, _ := f.Recall(ctx, "during"); !ok || c.ReviewID != "b" {
		t.Fatalf("after the outage, a thread from during it: %+v, %v", c, ok)
	}
	// Redis wins when it knows the thread: another replica moved it on.
	p.Store.Remember(ctx, "before", bot.Conversation{ReviewID: "c"}, time.Minute)
	if c, _, _ := f.Recall(ctx, "before"); c.ReviewID != "c" {
		t.Fatalf("Recall = %+v; want Redis's newer context", c)
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
