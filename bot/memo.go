package bot

import (
	"strconv"
	"time"

	"advisorybot/bot/catalog"
	"advisorybot/internal/lru"
)

// Two memos, kept because the endpoints' throughput bar needs them: parsing
// and building an answer are about a fifth of a slash command's CPU under
// load, and chat traffic repeats itself ("/advisory Frozen"). Measured
// side by side in docs/BENCHMARKS.md ("Memos"). Neither can outlive its
// data: parses depend on the text alone, and answers are kept with the
// catalog they were built from (catalog.Derived), so a reload drops them.

const (
	// parseMemoSize bounds the parse memo: a text and its Query each.
	parseMemoSize = 4096
	// maxMemoText: longer texts are parsed every time (nobody repeats them).
	maxMemoText = 200
	// replyMemoSize bounds the answers kept per catalog.
	replyMemoSize = 4096
	memoTTL       = 24 * time.Hour
)

// parse is Parse through the memo. The Query returned is shared with other
// callers: its pointers must not be written through.
func (b *Bot) parse(text string) Query {
	if len(text) > maxMemoText {
		return Parse(text)
	}
	if q, ok := b.parsed.Get(text); ok {
		return q
	}
	q := Parse(text)
	b.parsed.Set(text, q, memoTTL)
	return q
}

// replyMemoKey names the answer memo among a catalog's derived values.
type replyMemoKey struct{}

// curatedReply is advisoryReply through the catalog's answer memo: an
// answer from a curated review depends only on the review, the age and the
// topic. The Reply returned shares its Verdict and Advisory with other
// callers: they must not be written through.
func curatedReply(cat *catalog.Catalog, q Query, r *catalog.Review, age int) Reply {
	memo := cat.Derived(replyMemoKey{}, func() any { return lru.New[Reply](replyMemoSize, time.Now) }).(*lru.Cache[Reply])
	key := r.ID + "\x00" + strconv.Itoa(age)
	if q.Topic != nil {
		key += "\x00" + string(*q.Topic)
	}
	if rep, ok := memo.Get(key); ok {
		rep.Query = q
		return rep
	}
	rep := advisoryReply(q, r, age)
	memo.Set(key, rep, memoTTL)
	return rep
}
