package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"advisorybot/bot"
)

func ip(n int) *int { return &n }

// threadCases is the conversation rule, bot.Thread.Apply: each case is a
// sequence of questions in one thread, with the thread after each. Every
// implementation of the rule passes it: the Go function itself, the memory
// store and the Redis script (through testGate, on every backend).
var threadCases = []struct {
	name  string
	steps []threadStep
}{
	{"a title starts a thread", []threadStep{
		{bot.ThreadNote{Title: "Ballerina"}, bot.Thread{Title: "Ballerina"}},
	}},
	{"title, year and age", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
	}},
	{"a new title keeps the age and forgets the year", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
		{bot.ThreadNote{Title: "Frozen"}, bot.Thread{Title: "Frozen", Age: ip(8)}},
	}},
	{"a new title with its year and age", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
		{bot.ThreadNote{Title: "Frozen", Year: ip(2013), Age: ip(12)}, bot.Thread{Title: "Frozen", Year: ip(2013), Age: ip(12)}},
	}},
	{"a follow-up gives the age", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016)}, bot.Thread{Title: "Ballerina", Year: ip(2016)}},
		{bot.ThreadNote{Age: ip(10)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(10)}},
		{bot.ThreadNote{Age: ip(6)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(6)}},
	}},
	{"a follow-up gives the year", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Age: ip(9)}, bot.Thread{Title: "Ballerina", Age: ip(9)}},
		{bot.ThreadNote{Year: ip(2016)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(9)}},
	}},
	{"a follow-up that says nothing keeps everything", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
		{bot.ThreadNote{}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
	}},
	{"a pick forgets the title and year and keeps the age", []threadStep{
		{bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}, bot.Thread{Title: "Ballerina", Year: ip(2016), Age: ip(8)}},
		{bot.ThreadNote{ID: "ballerina-2023"}, bot.Thread{ID: "ballerina-2023", Age: ip(8)}},
	}},
	{"a pick with an age", []threadStep{
		{bot.ThreadNote{Title: "Ballerina"}, bot.Thread{Title: "Ballerina"}},
		{bot.ThreadNote{ID: "ballerina-2016", Age: ip(6)}, bot.Thread{ID: "ballerina-2016", Age: ip(6)}},
	}},
	{"a pick wins over a title in the same question", []threadStep{
		{bot.ThreadNote{ID: "ballerina-2016", Title: "Frozen", Year: ip(2013)}, bot.Thread{ID: "ballerina-2016"}},
	}},
	{"a title after a pick forgets the id", []threadStep{
		{bot.ThreadNote{ID: "ballerina-2016", Age: ip(7)}, bot.Thread{ID: "ballerina-2016", Age: ip(7)}},
		{bot.ThreadNote{Title: "Frozen"}, bot.Thread{Title: "Frozen", Age: ip(7)}},
	}},
	{"a year after a pick is kept beside the id", []threadStep{
		{bot.ThreadNote{ID: "ballerina-2023"}, bot.Thread{ID: "ballerina-2023"}},
		{bot.ThreadNote{Year: ip(2016)}, bot.Thread{ID: "ballerina-2023", Year: ip(2016)}},
		{bot.ThreadNote{Title: "Ballerina"}, bot.Thread{Title: "Ballerina"}},
	}},
	{"an age alone starts a thread the next title uses", []threadStep{
		{bot.ThreadNote{Age: ip(8)}, bot.Thread{Age: ip(8)}},
		{bot.ThreadNote{Title: "Frozen"}, bot.Thread{Title: "Frozen", Age: ip(8)}},
	}},
	{"nothing said to no thread leaves none", []threadStep{
		{bot.ThreadNote{}, bot.Thread{}},
		{bot.ThreadNote{}, bot.Thread{}},
		{bot.ThreadNote{Year: ip(2016)}, bot.Thread{Year: ip(2016)}},
	}},
	{"age zero is an age", []threadStep{
		{bot.ThreadNote{Title: "Bluey", Age: ip(0)}, bot.Thread{Title: "Bluey", Age: ip(0)}},
		{bot.ThreadNote{Title: "Frozen"}, bot.Thread{Title: "Frozen", Age: ip(0)}},
	}},
	{"any text is a title", []threadStep{
		{bot.ThreadNote{Title: "Amélie {x} % 'q' \"é\" \x00 -- ]]"}, bot.Thread{Title: "Amélie {x} % 'q' \"é\" \x00 -- ]]"}},
		{bot.ThreadNote{ID: "a b\nc"}, bot.Thread{ID: "a b\nc"}},
	}},
}

type threadStep struct {
	note bot.ThreadNote
	want bot.Thread
}

// TestThreadApply runs the rule's table on the Go function.
func TestThreadApply(t *testing.T) {
	for _, tc := range threadCases {
		t.Run(tc.name, func(t *testing.T) {
			var th bot.Thread
			for i, s := range tc.steps {
				if th = th.Apply(s.note); !th.Equal(s.want) {
					t.Fatalf("step %d: %v; want %v", i+1, th, s.want)
				}
			}
		})
	}
}

// testGate is the contract of bot.Gate, for every backend.
func testGate(t *testing.T, newGate func(t *testing.T) bot.Gate) {
	ctx := context.Background()
	minute := time.Minute
	// q is a question in scope "slack:T1" with an event id and a thread.
	q := func(event string, note bot.ThreadNote, limits ...bot.LimitCheck) bot.Admit {
		return bot.Admit{
			Scope: "slack:T1", EventKey: event, DedupeTTL: minute,
			Limits: limits, ThreadKey: "C1:thread", ThreadTTL: minute, Note: note,
		}
	}
	admit := func(t *testing.T, g bot.Gate, r bot.Admit) bot.Admission {
		t.Helper()
		a, err := g.Admit(ctx, r)
		if err != nil {
			t.Fatalf("Admit(%+v): %v", r, err)
		}
		return a
	}
	admitted := func(t *testing.T, a bot.Admission) {
		t.Helper()
		if !a.Admitted() {
			t.Fatalf("%+v; want admitted", a)
		}
	}
	user := func(max int) bot.LimitCheck { return bot.LimitCheck{Key: "user:U1", Max: max, Window: minute} }
	community := func(max int) bot.LimitCheck { return bot.LimitCheck{Key: "community", Max: max, Window: minute} }

	tests := []struct {
		name string
		run  func(t *testing.T, g bot.Gate)
	}{
		{"thread rule", func(t *testing.T, g bot.Gate) {
			for n, tc := range threadCases {
				had := false
				for i, s := range tc.steps {
					r := q(fmt.Sprintf("E%d-%d", n, i), s.note)
					r.ThreadKey = fmt.Sprintf("thread-%d", n)
					a := admit(t, g, r)
					if !a.Admitted() || !a.Thread.Equal(s.want) || a.HadThread != had {
						t.Errorf("%s, step %d: %+v, thread %v; want admitted, thread %v, had thread %v", tc.name, i+1, a, a.Thread, s.want, had)
					}
					had = !s.want.IsZero()
				}
			}
		}},
		{"nothing asked", func(t *testing.T, g bot.Gate) {
			a := admit(t, g, bot.Admit{Scope: "slack:T1"})
			if !a.Admitted() || a.HadThread || !a.Thread.IsZero() {
				t.Fatalf("%+v; want admitted with no thread", a)
			}
		}},
		{"duplicate changes nothing", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{Title: "Ballerina"}, user(2))))
			for range 3 {
				a := admit(t, g, q("E1", bot.ThreadNote{Title: "Frozen", Age: ip(6)}, user(2)))
				if !a.Duplicate || a.LimitedBy != -1 || !a.Thread.IsZero() {
					t.Fatalf("redelivery: %+v; want a duplicate and nothing else", a)
				}
			}
			// The redeliveries neither used up the limit nor moved the thread on.
			a := admit(t, g, q("E2", bot.ThreadNote{}, user(2)))
			if !a.Admitted() || !a.Thread.Equal(bot.Thread{Title: "Ballerina"}) {
				t.Fatalf("next question: %+v thread %v; want admitted, thread still Ballerina", a, a.Thread)
			}
			if a := admit(t, g, q("E3", bot.ThreadNote{}, user(2))); a.LimitedBy != 0 {
				t.Fatalf("third question over a limit of 2: %+v; want limited by 0", a)
			}
		}},
		{"events are per scope and key", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{})))
			other := q("E1", bot.ThreadNote{})
			other.Scope = "discord:T1"
			admitted(t, admit(t, g, other))
			admitted(t, admit(t, g, q("E2", bot.ThreadNote{})))
		}},
		{"no event key: never a duplicate", func(t *testing.T, g bot.Gate) {
			for range 3 {
				admitted(t, admit(t, g, q("", bot.ThreadNote{Title: "Ballerina"})))
			}
		}},
		{"limits in order, stopping at the first over", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{}, user(1), community(2))))
			// Over the user's limit: refused without charging the community.
			if a := admit(t, g, q("E2", bot.ThreadNote{}, user(1), community(2))); a.LimitedBy != 0 || a.Duplicate {
				t.Fatalf("second question of the user: %+v; want limited by 0", a)
			}
			u2 := bot.LimitCheck{Key: "user:U2", Max: 1, Window: minute}
			admitted(t, admit(t, g, q("E3", bot.ThreadNote{}, u2, community(2))))
			u3 := bot.LimitCheck{Key: "user:U3", Max: 1, Window: minute}
			if a := admit(t, g, q("E4", bot.ThreadNote{}, u3, community(2))); a.LimitedBy != 1 {
				t.Fatalf("third question of the community: %+v; want limited by 1", a)
			}
		}},
		{"a limit with no key is skipped", func(t *testing.T, g bot.Gate) {
			none := bot.LimitCheck{Max: 0, Window: minute}
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{}, none, community(1))))
			if a := admit(t, g, q("E2", bot.ThreadNote{}, none, community(1))); a.LimitedBy != 1 {
				t.Fatalf("%+v; want limited by 1, the index in the request", a)
			}
		}},
		{"a limit of zero refuses every question", func(t *testing.T, g bot.Gate) {
			if a := admit(t, g, q("E1", bot.ThreadNote{}, community(0))); a.LimitedBy != 0 {
				t.Fatalf("%+v; want limited by 0", a)
			}
		}},
		{"limits are per scope and key", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{}, user(1))))
			other := q("E2", bot.ThreadNote{}, user(1))
			other.Scope = "slack:T2"
			admitted(t, admit(t, g, other))
			admitted(t, admit(t, g, q("E3", bot.ThreadNote{}, bot.LimitCheck{Key: "user:U2", Max: 1, Window: minute})))
		}},
		{"a refused question does not move the thread on", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{Title: "Ballerina", Age: ip(8)}, user(1))))
			a := admit(t, g, q("E2", bot.ThreadNote{Title: "Frozen", Age: ip(5)}, user(1)))
			if a.LimitedBy != 0 || !a.Thread.IsZero() {
				t.Fatalf("%+v; want limited, no thread", a)
			}
			a = admit(t, g, q("E3", bot.ThreadNote{}))
			if want := (bot.Thread{Title: "Ballerina", Age: ip(8)}); !a.Thread.Equal(want) || !a.HadThread {
				t.Fatalf("thread after a refused question: %v; want %v", a.Thread, want)
			}
		}},
		{"threads are per scope and key", func(t *testing.T, g bot.Gate) {
			admitted(t, admit(t, g, q("E1", bot.ThreadNote{Title: "Ballerina"})))
			other := q("E2", bot.ThreadNote{})
			other.ThreadKey = "C2:thread"
			if a := admit(t, g, other); a.HadThread || !a.Thread.IsZero() {
				t.Fatalf("another thread: %+v %v; want none", a, a.Thread)
			}
			other = q("E3", bot.ThreadNote{})
			other.Scope = "slack:T2"
			if a := admit(t, g, other); a.HadThread || !a.Thread.IsZero() {
				t.Fatalf("another scope: %+v %v; want none", a, a.Thread)
			}
		}},
		{"no thread key: no thread", func(t *testing.T, g bot.Gate) {
			r := q("E1", bot.ThreadNote{Title: "Ballerina"})
			r.ThreadKey = ""
			if a := admit(t, g, r); !a.Admitted() || a.HadThread || !a.Thread.IsZero() {
				t.Fatalf("%+v; want admitted with no thread", a)
			}
			if a := admit(t, g, q("E2", bot.ThreadNote{})); a.HadThread {
				t.Fatalf("the note was kept somewhere: %+v", a)
			}
		}},
		{"the returned thread is the caller's", func(t *testing.T, g bot.Gate) {
			a := admit(t, g, q("E1", bot.ThreadNote{Title: "Ballerina", Year: ip(2016), Age: ip(8)}))
			*a.Thread.Age, *a.Thread.Year = 1, 1
			a = admit(t, g, q("E2", bot.ThreadNote{}))
			if *a.Thread.Age != 8 || *a.Thread.Year != 2016 {
				t.Fatalf("stored thread changed through a returned one: %v", a.Thread)
			}
		}},
		{"invalid requests change nothing", func(t *testing.T, g bot.Gate) {
			bad := []bot.Admit{
				{Scope: "s", EventKey: "E1"},
				{Scope: "s", EventKey: "E1", DedupeTTL: minute, Limits: []bot.LimitCheck{{Key: "k", Max: 5}}},
				{Scope: "s", EventKey: "E1", DedupeTTL: minute, ThreadKey: "t", Note: bot.ThreadNote{Title: "x"}},
			}
			for _, r := range bad {
				if _, err := g.Admit(ctx, r); !errors.Is(err, bot.ErrInvalidAdmit) {
					t.Errorf("Admit(%+v) = %v; want ErrInvalidAdmit", r, err)
				}
			}
			admitted(t, admit(t, g, bot.Admit{Scope: "s", EventKey: "E1", DedupeTTL: minute}))
		}},
		{"dedupe mark expires", func(t *testing.T, g bot.Gate) {
			r := bot.Admit{Scope: "s", EventKey: "E1", DedupeTTL: short}
			admitted(t, admit(t, g, r))
			if a := admit(t, g, r); !a.Duplicate {
				t.Fatalf("%+v; want a duplicate within the ttl", a)
			}
			time.Sleep(short + 50*time.Millisecond) // Redis expires in real time
			admitted(t, admit(t, g, r))
		}},
		{"limit window resets", func(t *testing.T, g bot.Gate) {
			r := bot.Admit{Scope: "s", Limits: []bot.LimitCheck{{Key: "k", Max: 1, Window: short}}}
			admitted(t, admit(t, g, r))
			if a := admit(t, g, r); a.LimitedBy != 0 {
				t.Fatalf("%+v; want limited within the window", a)
			}
			time.Sleep(short + 50*time.Millisecond)
			admitted(t, admit(t, g, r))
		}},
		{"thread expires", func(t *testing.T, g bot.Gate) {
			r := bot.Admit{Scope: "s", ThreadKey: "t", ThreadTTL: short, Note: bot.ThreadNote{Title: "Ballerina"}}
			admitted(t, admit(t, g, r))
			time.Sleep(short + 50*time.Millisecond)
			r.Note = bot.ThreadNote{}
			if a := admit(t, g, r); a.HadThread || !a.Thread.IsZero() {
				t.Fatalf("%+v %v; want the thread gone after its ttl", a, a.Thread)
			}
		}},
		{"concurrent redeliveries: one admitted", func(t *testing.T, g bot.Gate) {
			n := concurrently(t, g, 50, func(int) bot.Admit { return q("race", bot.ThreadNote{Title: "Ballerina"}, user(100)) }, bot.Admission.Admitted)
			if n != 1 {
				t.Fatalf("%d of 50 deliveries of one event admitted; want 1", n)
			}
		}},
		{"concurrent questions: the limit holds", func(t *testing.T, g bot.Gate) {
			n := concurrently(t, g, 40, func(i int) bot.Admit { return q(fmt.Sprint("E", i), bot.ThreadNote{}, community(10)) }, bot.Admission.Admitted)
			if n != 10 {
				t.Fatalf("%d of 40 concurrent questions admitted; want the limit, 10", n)
			}
		}},
		{"concurrent questions in one thread: each sees the one before", func(t *testing.T, g bot.Gate) {
			n := concurrently(t, g, 30, func(i int) bot.Admit { return q(fmt.Sprint("E", i), bot.ThreadNote{Age: ip(i)}) },
				func(a bot.Admission) bool { return !a.HadThread })
			if n != 1 {
				t.Fatalf("%d of 30 questions found no thread; want only the first", n)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newGate(t))
		})
	}
}

// TestAdmitAcrossReplicas: replicas sharing a backend agree on events,
// limits and threads; on Redis each replica has its own client.
func TestAdmitAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			a, b := be.replica(t), be.replica(t)
			r := func(event string, note bot.ThreadNote) bot.Admit {
				return bot.Admit{
					Scope: "discord:G1", EventKey: event, DedupeTTL: time.Minute,
					Limits:    []bot.LimitCheck{{Key: "user:U1", Max: 3, Window: time.Minute}},
					ThreadKey: "C1", ThreadTTL: time.Minute, Note: note,
				}
			}
			age := 10
			steps := []struct {
				on   bot.Gate
				r    bot.Admit
				want bot.Admission
			}{
				{a, r("I1", bot.ThreadNote{Title: "Ballerina", Age: &age}), bot.Admission{LimitedBy: -1, Thread: bot.Thread{Title: "Ballerina", Age: &age}}},
				{b, r("I1", bot.ThreadNote{Title: "Frozen"}), bot.Admission{Duplicate: true, LimitedBy: -1}},
				{b, r("I2", bot.ThreadNote{Year: ip(2016)}), bot.Admission{LimitedBy: -1, HadThread: true, Thread: bot.Thread{Title: "Ballerina", Year: ip(2016), Age: &age}}},
				{a, r("I3", bot.ThreadNote{ID: "ballerina-2016"}), bot.Admission{LimitedBy: -1, HadThread: true, Thread: bot.Thread{ID: "ballerina-2016", Age: &age}}},
				{b, r("I4", bot.ThreadNote{Title: "Frozen"}), bot.Admission{LimitedBy: 0}},
				{a, r("I4", bot.ThreadNote{}), bot.Admission{Duplicate: true, LimitedBy: -1}},
			}
			for i, s := range steps {
				got, err := s.on.Admit(ctx, s.r)
				if err != nil || got.Duplicate != s.want.Duplicate || got.LimitedBy != s.want.LimitedBy ||
					got.HadThread != s.want.HadThread || !got.Thread.Equal(s.want.Thread) {
					t.Fatalf("step %d: %+v %v, %v; want %+v %v", i+1, got, got.Thread, err, s.want, s.want.Thread)
				}
			}
		})
	}
}

// concurrently makes n admissions at once, the i-th of req(i), and counts
// those that counted reports true of.
func concurrently(t *testing.T, g bot.Gate, n int, req func(i int) bot.Admit, counted func(bot.Admission) bool) int64 {
	t.Helper()
	var c atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a, err := g.Admit(context.Background(), req(i))
			if err != nil {
				t.Error(err)
			} else if counted(a) {
				c.Add(1)
			}
		})
	}
	wg.Wait()
	return c.Load()
}
