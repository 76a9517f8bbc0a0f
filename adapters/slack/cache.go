package slack

import (
	"bytes"
	"sync"
	"sync/atomic"

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

// renderCache memoises encoded advisory answers.
type renderCache struct {
	m sync.Map // renderKey -> []byte
	n atomic.Int64
}

func (c *renderCache) get(k renderKey) ([]byte, bool) {
	v, ok := c.m.Load(k)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (c *renderCache) put(k renderKey, b []byte) {
	if c.n.Add(1) > maxRenders {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(k, b)
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
