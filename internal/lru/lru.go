// Package lru is a bounded in-process cache with a per-entry expiry: the
// first tier in front of a shared cache, and the cache of the in-memory
// store. Reads do not allocate.
package lru

import (
	"hash/maphash"
	"sync"
	"time"
)

// Cache maps string keys to values, holding at most its capacity; the least
// recently used entry goes first when it is full, and an expired entry is
// never returned. It is safe for concurrent use.
type Cache[V any] struct {
	seed   maphash.Seed
	shards []shard[V]
	now    func() time.Time
}

// Large caches are split into shards, each with its own lock, so that
// concurrent readers seldom wait for one another.
const (
	maxShards     = 16
	minShardItems = 64
)

type shard[V any] struct {
	mu    sync.Mutex
	limit int
	index map[string]int32
	nodes []node[V]
	free  []int32
	head  int32 // most recently used; -1 when empty
	tail  int32 // least recently used
}

type node[V any] struct {
	key        string
	val        V
	expires    int64 // unix nanoseconds
	prev, next int32
}

// Stopped is a clock for caches of values that never go stale (memoised
// pure functions): with it, entries leave only by eviction, and a hit does
// not read the time.
func Stopped() time.Time { return time.Unix(0, 0) }

// New returns a cache for up to size entries (at least 1). now is the clock;
// nil means time.Now.
func New[V any](size int, now func() time.Time) *Cache[V] {
	if size < 1 {
		size = 1
	}
	if now == nil {
		now = time.Now
	}
	n := min(maxShards, max(1, size/minShardItems))
	c := &Cache[V]{seed: maphash.MakeSeed(), shards: make([]shard[V], n), now: now}
	per, extra := size/n, size%n
	for i := range c.shards {
		limit := per
		if i < extra {
			limit++
		}
		c.shards[i] = shard[V]{limit: limit, index: make(map[string]int32), head: -1, tail: -1}
	}
	return c
}

func (c *Cache[V]) shard(key string) *shard[V] {
	if len(c.shards) == 1 {
		return &c.shards[0]
	}
	return &c.shards[maphash.String(c.seed, key)%uint64(len(c.shards))]
}

// Get returns the value stored for key, if it has not expired.
func (c *Cache[V]) Get(key string) (V, bool) {
	s := c.shard(key)
	now := c.now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.index[key]
	if !ok {
		var zero V
		return zero, false
	}
	if now >= s.nodes[i].expires {
		s.remove(i)
		var zero V
		return zero, false
	}
	s.toFront(i)
	return s.nodes[i].val, true
}

// Set stores v for key for ttl; a ttl <= 0 removes key instead.
func (c *Cache[V]) Set(key string, v V, ttl time.Duration) {
	s := c.shard(key)
	expires := c.now().Add(ttl).UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.index[key]; ok {
		if ttl <= 0 {
			s.remove(i)
			return
		}
		s.nodes[i].val, s.nodes[i].expires = v, expires
		s.toFront(i)
		return
	}
	if ttl <= 0 {
		return
	}
	if len(s.index) >= s.limit {
		s.remove(s.tail)
	}
	var i int32
	if n := len(s.free); n > 0 {
		i, s.free = s.free[n-1], s.free[:n-1]
		s.nodes[i] = node[V]{key: key, val: v, expires: expires, prev: -1, next: -1}
	} else {
		i = int32(len(s.nodes))
		s.nodes = append(s.nodes, node[V]{key: key, val: v, expires: expires, prev: -1, next: -1})
	}
	s.index[key] = i
	s.pushFront(i)
}

// Delete removes key.
func (c *Cache[V]) Delete(key string) {
	s := c.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.index[key]; ok {
		s.remove(i)
	}
}

// Len is the number of entries held, expired ones not yet dropped included.
func (c *Cache[V]) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.index)
		s.mu.Unlock()
	}
	return n
}

// Sweep drops every expired entry and reports how many it dropped.
func (c *Cache[V]) Sweep() int {
	now := c.now().UnixNano()
	dropped := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for j := s.head; j != -1; {
			next := s.nodes[j].next
			if now >= s.nodes[j].expires {
				s.remove(j)
				dropped++
			}
			j = next
		}
		s.mu.Unlock()
	}
	return dropped
}

func (s *shard[V]) remove(i int32) {
	s.unlink(i)
	delete(s.index, s.nodes[i].key)
	s.nodes[i] = node[V]{prev: -1, next: -1} // let the key and value be collected
	s.free = append(s.free, i)
}

func (s *shard[V]) unlink(i int32) {
	n := &s.nodes[i]
	if n.prev != -1 {
		s.nodes[n.prev].next = n.next
	} else {
		s.head = n.next
	}
	if n.next != -1 {
		s.nodes[n.next].prev = n.prev
	} else {
		s.tail = n.prev
	}
	n.prev, n.next = -1, -1
}

func (s *shard[V]) pushFront(i int32) {
	n := &s.nodes[i]
	n.prev, n.next = -1, s.head
	if s.head != -1 {
		s.nodes[s.head].prev = i
	}
	s.head = i
	if s.tail == -1 {
		s.tail = i
	}
}

func (s *shard[V]) toFront(i int32) {
	if s.head == i {
		return
	}
	s.unlink(i)
	s.pushFront(i)
}
