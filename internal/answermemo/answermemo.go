// Package answermemo keeps the encoded form of answers the bot memoises
// (bot/memo.go: answers from curated reviews), so an adapter encodes each
// once. The bot hands out one Verdict pointer per memoised answer, so the
// pointer names the answer; keys hold it weakly, so the memo never keeps an
// answer, or the catalog it came from, alive. Encoding an answer is about a
// third of a slash command's CPU under load: docs/BENCHMARKS.md ("Memos")
// has the figures that keep this memo.
package answermemo

import (
	"sync"
	"weak"

	"advisorybot/bot"
)

// Memo is safe for concurrent use; the zero value is ready.
type Memo struct {
	mu sync.Mutex
	m  map[key][]byte
}

type key struct {
	verdict weak.Pointer[bot.Verdict]
	variant string // how the adapter encoded it (ephemeral or not, ...)
}

// Max bounds a memo; past it, it starts again empty.
const Max = 1024

// Memoable reports whether an answer is one the bot memoises: found from a
// curated review, with nothing added for this request alone.
func Memoable(r bot.Reply) bool {
	return r.Status == bot.StatusFound && r.Verdict != nil && r.Match != nil &&
		r.Match.Source == bot.SourceCurated && len(r.Notes) == 0 && r.Fact == ""
}

// Get returns the encoding of r kept for variant.
func (m *Memo) Get(r bot.Reply, variant string) ([]byte, bool) {
	if !Memoable(r) {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.m[key{weak.Make(r.Verdict), variant}]
	return b, ok
}

// Put keeps b as the encoding of r for variant. b must not change after.
func (m *Memo) Put(r bot.Reply, variant string, b []byte) {
	if !Memoable(r) {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= Max {
		m.m = make(map[key][]byte)
	}
	m.m[key{weak.Make(r.Verdict), variant}] = b
}
