package bot

import (
	"sync"
	"sync/atomic"

	"advisorybot/bot/catalog"
)

// prepared memoises advisory replies for one catalog. A reply is a pure
// function of (review, age, topic), and building one costs more than the
// rest of the ask path, so each is built once per catalog version. Replies
// handed out share their Verdict and Advisory: callers must not mutate them.
type prepared struct {
	cat     *catalog.Catalog
	replies sync.Map // preparedKey -> Reply
}

type preparedKey struct {
	id    string
	age   int
	topic Topic
}

// maxPreparedAge bounds the memo: ages above it are built each time.
const maxPreparedAge = 21

type preparedCache struct {
	cur atomic.Pointer[prepared]
}

func (pc *preparedCache) reply(cat *catalog.Catalog, q Query, r *catalog.Review, age int) Reply {
	if age < 0 || age > maxPreparedAge {
		return advisoryReply(q, r, age)
	}
	p := pc.cur.Load()
	if p == nil || p.cat != cat {
		// A reload swapped the catalog: start afresh so old reviews are freed.
		p = &prepared{cat: cat}
		pc.cur.Store(p)
	}
	key := preparedKey{id: r.ID, age: age}
	if q.Topic != nil {
		key.topic = *q.Topic
	}
	if v, ok := p.replies.Load(key); ok {
		reply := v.(Reply)
		reply.Query = q
		return reply
	}
	reply := advisoryReply(q, r, age)
	p.replies.Store(key, reply)
	return reply
}
