package answermemo_test

import (
	"runtime"
	"testing"
	"weak"

	"advisorybot/bot"
	"advisorybot/internal/answermemo"
)

func curated(age int) bot.Reply {
	return bot.Reply{Status: bot.StatusFound, Verdict: &bot.Verdict{Age: age}, Match: &bot.TitleRef{ID: "x", Source: bot.SourceCurated}}
}

func TestMemo(t *testing.T) {
	var m answermemo.Memo
	a := curated(8)
	m.Put(a, "ephemeral", []byte("A"))
	if b, ok := m.Get(a, "ephemeral"); !ok || string(b) != "A" {
		t.Fatalf("Get = %q, %v; want the encoding kept", b, ok)
	}
	if _, ok := m.Get(a, "public"); ok {
		t.Error("another variant of the same answer was served")
	}
	if _, ok := m.Get(curated(8), "ephemeral"); ok {
		t.Error("an equal answer with another Verdict was served: the pointer names the answer")
	}
	for _, r := range []bot.Reply{
		{Status: bot.StatusFound, Verdict: a.Verdict, Match: &bot.TitleRef{Source: bot.SourceTMDB}}, // not memoised by the bot
		{Status: bot.StatusFound, Verdict: a.Verdict, Match: a.Match, Notes: []string{"stale"}},     // said for this request
		{Status: bot.StatusFound, Verdict: a.Verdict, Match: a.Match, Fact: "It runs 92 minutes."},  // said for this request
		{Status: bot.StatusNotFound, Verdict: a.Verdict, Match: a.Match},                            // not an answer from a review
	} {
		if _, ok := m.Get(r, "ephemeral"); ok || answermemo.Memoable(r) {
			t.Errorf("%+v served from the memo", r)
		}
	}
}

// TestMemoHoldsNothingAlive: an answer the bot dropped (a reload dropped its
// memo) is collected although the adapter's memo still has its encoding.
func TestMemoHoldsNothingAlive(t *testing.T) {
	var m answermemo.Memo
	r := curated(12)
	m.Put(r, "v", []byte("encoded"))
	w := weak.Make(r.Verdict)
	r = bot.Reply{}
	runtime.GC()
	if w.Value() != nil {
		t.Fatal("the memo keeps the answer's Verdict alive")
	}
}

func TestMemoBounded(t *testing.T) {
	var m answermemo.Memo
	keep := make([]bot.Reply, answermemo.Max+1)
	for i := range keep {
		keep[i] = curated(i)
		m.Put(keep[i], "v", []byte{byte(i)})
	}
	if _, ok := m.Get(keep[0], "v"); ok {
		t.Error("the memo grew past Max")
	}
	if _, ok := m.Get(keep[answermemo.Max], "v"); !ok {
		t.Error("the newest entry is missing")
	}
}
