package bot_test

import (
	"errors"
	"testing"
	"time"

	"advisorybot/bot"
)

func intp(n int) *int { return &n }

// The full rule table runs in adapters/storetest against the Go function,
// the memory store and the Redis script; these are the properties of the
// Go function alone.

func TestThreadApplyRule(t *testing.T) {
	start := bot.Thread{Title: "Ballerina", Year: intp(2016), Age: intp(8)}
	tests := []struct {
		name string
		note bot.ThreadNote
		want bot.Thread
	}{
		{"a new title keeps the age", bot.ThreadNote{Title: "Frozen"}, bot.Thread{Title: "Frozen", Age: intp(8)}},
		{"a pick forgets title and year", bot.ThreadNote{ID: "x"}, bot.Thread{ID: "x", Age: intp(8)}},
		{"a follow-up patches", bot.ThreadNote{Year: intp(2023), Age: intp(5)}, bot.Thread{Title: "Ballerina", Year: intp(2023), Age: intp(5)}},
		{"nothing said", bot.ThreadNote{}, start},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := start.Apply(tt.note); !got.Equal(tt.want) {
				t.Fatalf("Apply = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestThreadApplySharesNoMemory(t *testing.T) {
	year, age := 2016, 8
	n := bot.ThreadNote{Title: "Ballerina", Year: &year, Age: &age}
	before := bot.Thread{Age: intp(3)}
	got := before.Apply(n)
	year, age = 1, 1
	if *got.Year != 2016 || *got.Age != 8 {
		t.Fatalf("the result changed with the note: %v", got)
	}
	*got.Age = 99
	if again := before.Apply(bot.ThreadNote{}); *again.Age != 3 {
		t.Fatalf("the receiver changed with the result: %v", again)
	}
}

func TestThreadEqualAndZero(t *testing.T) {
	if !(bot.Thread{}).IsZero() || (bot.Thread{Age: intp(0)}).IsZero() {
		t.Fatal("IsZero: an age of 0 is something to remember; nothing is not")
	}
	for _, pair := range [][2]bot.Thread{
		{{Age: intp(0)}, {}},
		{{Year: intp(1)}, {Year: intp(2)}},
		{{Title: "a"}, {ID: "a"}},
	} {
		if pair[0].Equal(pair[1]) || pair[1].Equal(pair[0]) {
			t.Errorf("%v equals %v", pair[0], pair[1])
		}
	}
	if !(bot.Thread{Year: intp(2)}).Equal(bot.Thread{Year: intp(2)}) {
		t.Error("equal values through different pointers are not Equal")
	}
}

func TestAdmission(t *testing.T) {
	for _, tt := range []struct {
		a    bot.Admission
		want bool
	}{
		{bot.Admission{LimitedBy: -1}, true},
		{bot.Admission{LimitedBy: 0}, false},
		{bot.Admission{Duplicate: true, LimitedBy: -1}, false},
	} {
		if got := tt.a.Admitted(); got != tt.want {
			t.Errorf("%+v.Admitted() = %v", tt.a, got)
		}
	}
}

func TestAdmitValidate(t *testing.T) {
	m := time.Minute
	for _, tt := range []struct {
		name string
		r    bot.Admit
		ok   bool
	}{
		{"nothing", bot.Admit{}, true},
		{"full", bot.Admit{EventKey: "e", DedupeTTL: m, Limits: []bot.LimitCheck{{Key: "k", Max: 1, Window: m}}, ThreadKey: "t", ThreadTTL: m}, true},
		{"skipped limit needs no window", bot.Admit{Limits: []bot.LimitCheck{{}}}, true},
		{"event without ttl", bot.Admit{EventKey: "e"}, false},
		{"sub-millisecond ttl", bot.Admit{EventKey: "e", DedupeTTL: time.Microsecond}, false},
		{"limit without window", bot.Admit{Limits: []bot.LimitCheck{{Key: "k", Max: 1}}}, false},
		{"thread without ttl", bot.Admit{ThreadKey: "t"}, false},
	} {
		err := tt.r.Validate()
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, bot.ErrInvalidAdmit) {
			t.Errorf("%s: Validate() = %v; want ok %v", tt.name, err, tt.ok)
		}
	}
}
