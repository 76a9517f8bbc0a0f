package discord

import (
	"sync"
	"sync/atomic"

	"advisorybot/bot"
)

// maxRendered bounds the render cache; past it the cache starts afresh
// (a catalog reload also leaves old entries behind).
const maxRendered = 4096

// renderCache memoises marshalled advisory responses. Keys hold the
// bot's shared, immutable Verdict and Advisory, so an entry is valid for
// as long as the key exists, and a reload's new values get new entries.
type renderCache struct {
	cur atomic.Pointer[renderGen]
}

type renderGen struct {
	m sync.Map // renderKey -> []byte
	n atomic.Int64
}

type renderKey struct {
	verdict  *bot.Verdict
	advisory *bot.Advisory
	match    *bot.TitleRef
	focus    bot.Topic
	mode     mode
}

func (c *renderCache) get(k renderKey) ([]byte, bool) {
	g := c.cur.Load()
	if g == nil {
		return nil, false
	}
	v, ok := g.m.Load(k)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (c *renderCache) put(k renderKey, b []byte) {
	g := c.cur.Load()
	if g == nil || g.n.Load() >= maxRendered {
		g = &renderGen{}
		c.cur.Store(g)
	}
	if _, loaded := g.m.LoadOrStore(k, b); !loaded {
		g.n.Add(1)
	}
}
