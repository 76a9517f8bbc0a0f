package slack

import (
	"bytes"
	"sync"
	"time"

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
	m  map[renderKey][]byte
}

func (c *renderCache) get(k renderKey) ([]byte, bool) {
	c.mu.RLock()
	b, ok := c.m[k]
	c.mu.RUnlock()
	return b, ok
}

func (c *renderCache) put(k renderKey, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxRenders {
		c.m = make(map[renderKey][]byte)
	}
	c.m[k] = b
}

// timer returns a stopped timer set to fire after d.
func (a *Adapter) timer(d time.Duration) *time.Timer {
	if t, ok := a.timers.Get().(*time.Timer); ok {
		t.Reset(d)
		return t
	}
	return time.NewTimer(d)
}

// releaseTimer returns a timer; since Go 1.23 a stopped timer's channel
// holds no stale tick.
func (a *Adapter) releaseTimer(t *time.Timer) {
	t.Stop()
	a.timers.Put(t)
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
