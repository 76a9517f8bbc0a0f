package slack

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"advisorybot/bot"
)

// renderKey identifies a rendering. The bot memoises advisory replies per
// catalog version and hands out the same Verdict and Advisory pointers for
// the same (title, age, topic); an advisory's rendering depends only on
// them, the focus and the view. Choices, help and problems are keyed by
// everything their rendering reads, spelled out in text.
type renderKey struct {
	verdict  *bot.Verdict
	advisory *bot.Advisory
	topic    bot.Topic
	text     string
	view     View
}

func renderKeyOf(r bot.Reply, v View) (renderKey, bool) {
	switch r.Status {
	case bot.StatusFound:
		if r.Verdict == nil || r.Advisory == nil {
			return renderKey{}, false
		}
		k := renderKey{verdict: r.Verdict, advisory: r.Advisory, view: v}
		if r.Focus != nil {
			k.topic = *r.Focus
		}
		return k, true
	case bot.StatusAmbiguous, bot.StatusHelp, bot.StatusError:
		// Not-found replies are not memoised: misspellings are too varied
		// to be asked twice.
		return renderKey{text: spelledOut(r), view: v}, true
	}
	return renderKey{}, false
}

// spelledOut writes every field a choice, help or problem rendering reads,
// each prefixed with its length so no two replies spell the same.
func spelledOut(r bot.Reply) string {
	var b strings.Builder
	b.Grow(len(r.Text) + 128)
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	num := func(p *int) {
		if p == nil {
			field("-")
			return
		}
		field(strconv.Itoa(*p))
	}
	field(string(r.Status))
	field(r.Text)
	field(r.Query.Title)
	num(r.Query.Year)
	num(r.Query.Age)
	if r.Query.Topic != nil {
		field(string(*r.Query.Topic))
	} else {
		field("-")
	}
	if r.Verdict != nil {
		field(string(r.Verdict.Level))
		num(&r.Verdict.Age)
	} else {
		field("-")
	}
	field(strconv.Itoa(len(r.Candidates)))
	for _, c := range r.Candidates {
		field(c.ID)
		field(c.Title)
		num(&c.Year)
		field(c.Rating)
	}
	if h := r.Help; h != nil {
		field(h.Summary)
		for _, e := range h.Examples {
			field(e)
		}
	}
	if p := r.Error; p != nil {
		field(string(p.Code))
		field(p.Message)
		field(p.Next)
	}
	return b.String()
}

// maxRenders bounds the memo; it is emptied when full (after a catalog
// reload the old pointers are never asked for again).
const maxRenders = 4096

// renderCache memoises encoded advisory answers. A plain map under a
// read lock: a sync.Map would box every key on lookup. The last answer
// served is checked first: when one title is in the news, most questions
// are the same one, and a pointer comparison is cheaper than hashing.
type renderCache struct {
	last atomic.Pointer[renderEntry]
	mu   sync.RWMutex
	m    map[renderKey]*renderEntry
}

type renderEntry struct {
	key renderKey
	e   encoded
}

// encoded is an answer ready to write: the body and, for a body larger
// than net/http buffers, its Content-Length header value.
type encoded struct {
	body   []byte
	length []string // nil: net/http sets Content-Length itself
}

// netHTTPBuffered is how much net/http buffers of a response before it
// starts chunking (its bufferBeforeChunkingSize). A handler that writes
// less and returns gets a Content-Length computed by net/http, so setting
// one would cost a header-map entry (and its copy) for nothing; a larger
// answer sets it, so it is never sent chunked. TestContentLength pins both.
const netHTTPBuffered = 2048

func encodedOf(b []byte) encoded {
	e := encoded{body: b}
	if len(b) > netHTTPBuffered {
		e.length = []string{strconv.Itoa(len(b))}
	}
	return e
}

func (c *renderCache) get(k renderKey) (encoded, bool) {
	if l := c.last.Load(); l != nil && l.key == k {
		return l.e, true
	}
	c.mu.RLock()
	ent, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		return encoded{}, false
	}
	c.last.Store(ent)
	return ent.e, true
}

func (c *renderCache) put(k renderKey, e encoded) {
	ent := &renderEntry{key: k, e: e}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxRenders {
		c.m = make(map[renderKey]*renderEntry)
	}
	c.m[k] = ent
	c.last.Store(ent)
}

func (a *Adapter) buffer() *bytes.Buffer {
	if b, ok := a.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

func (a *Adapter) release(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return // keep the pool's buffers small
	}
	a.bufs.Put(b)
}
