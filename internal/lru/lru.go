// Package lru is a bounded in-process cache with a per-entry expiry: the
// first tier of bot/cache, and the cache of the in-memory store.
package lru

import (
	"container/list"
	"sync"
	"time"
)

// Cache maps string keys to values, holding at most its capacity; the least
// recently used entry goes first when it is full, and an expired entry is
// never returned. It is safe for concurrent use.
type Cache[V any] struct {
	mu    sync.Mutex
	limit int
	now   func() time.Time
	order *list.List // of *entry[V], most recently used first
	index map[string]*list.Element
}

type entry[V any] struct {
	key     string
	val     V
	expires time.Time
}

// New returns a cache for up to size entries (at least 1). now is the clock;
// nil means time.Now.
func New[V any](size int, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{limit: max(size, 1), now: now, order: list.New(), index: make(map[string]*list.Element)}
}

// Get returns the value stored for key, if it has not expired.
func (c *Cache[V]) Get(key string) (V, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.index[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*entry[V])
	if !now.Before(e.expires) {
		c.remove(el)
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.val, true
}

// Set stores v for key for ttl; a ttl <= 0 removes key instead.
func (c *Cache[V]) Set(key string, v V, ttl time.Duration) {
	expires := c.now().Add(ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[key]
	switch {
	case ttl <= 0:
		if ok {
			c.remove(el)
		}
	case ok:
		e := el.Value.(*entry[V])
		e.val, e.expires = v, expires
		c.order.MoveToFront(el)
	default:
		if c.order.Len() >= c.limit {
			c.remove(c.order.Back())
		}
		c.index[key] = c.order.PushFront(&entry[V]{key: key, val: v, expires: expires})
	}
}

// Delete removes key.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		c.remove(el)
	}
}

// Len is the number of entries held, expired ones not yet dropped included.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Sweep drops every expired entry and reports how many it dropped.
func (c *Cache[V]) Sweep() int {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	dropped := 0
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if !now.Before(el.Value.(*entry[V]).expires) {
			c.remove(el)
			dropped++
		}
		el = next
	}
	return dropped
}

func (c *Cache[V]) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.index, el.Value.(*entry[V]).key)
}
