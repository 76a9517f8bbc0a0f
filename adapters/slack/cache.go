package slack

import (
	"bytes"
	"strconv"
	"sync"

	"advisorybot/bot"
)

// renderKey identifies an advisory rendering. The bot memoises advisory
// replies per catalog version and hands out the same Verdict and Advisory
// pointers for the same (title, age, topic); a rendering depends only on
// them, the focus and the view.
type renderKey struct {
	verdict  *bot.Verdict
	advisory *bot.Advisory
	topic    bot.Topic
	view     View
}

func renderKeyOf(r bot.Reply, v View) (renderKey, bool) {
	if r.Status != bot.StatusFound || r.Verdict == nil || r.Advisory == nil {
		return renderKey{}, false
	}
	k := renderKey{verdict: r.Verdict, advisory: r.Advisory, view: v}
	if r.Focus != nil {
		k.topic = *r.Focus
	}
	return k, true
}

// maxRenders bounds the memo; it is emptied when full (after a catalog
// reload the old pointers are never asked for again).
const maxRenders = 4096

// renderCache memoises encoded advisory answers. A plain map under a
// read lock: a sync.Map would box every key on lookup.
type renderCache struct {
	mu sync.RWMutex
	m  map[renderKey]encoded
}

// encoded is an answer ready to write: the body and its Content-Length
// header value (set explicitly so large answers are not sent chunked).
type encoded struct {
	body   []byte
	length []string
}

func encodedOf(b []byte) encoded {
	return encoded{body: b, length: []string{strconv.Itoa(len(b))}}
}

func (c *renderCache) get(k renderKey) (encoded, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	return e, ok
}

func (c *renderCache) put(k renderKey, e encoded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxRenders {
		c.m = make(map[renderKey]encoded)
	}
	c.m[k] = e
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
