package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/bot"
	"advisorybot/internal/lru"
)

// Settings are read on every question but change rarely, so each Store
// keeps them in a short in-process cache and subscribes to a channel on
// which every SetProfile, on any replica, announces the community it
// changed. A replica therefore sees a change as soon as the message
// arrives, and a question costs no round trip for its community's profile.
const (
	// settingsChannel (after the prefix) carries the community whose
	// settings changed, followed by a NUL and the id of the Store that
	// changed it (which has already forgotten its own copy). A message
	// without an id, e.g. published by hand, invalidates as well.
	settingsChannel = "settings:changed"
	// settingsCacheTTL bounds how long a profile is served from the cache
	// at all: the backstop for a change that announced nothing (a hand
	// edit with redis-cli) or a subscription that died silently.
	settingsCacheTTL = 10 * time.Second
	// settingsCacheSize bounds the cache in communities.
	settingsCacheSize = 10_000
	// Reconnection backoff of the subscriber while Redis is unreachable.
	minResubscribe = 50 * time.Millisecond
	maxResubscribe = 2 * time.Second
)

// setProfileScript writes a profile and announces it in one round trip.
// Being one script, the write is applied before any subscriber hears of it,
// also on Cluster, where the channel and the key may live on other nodes.
var setProfileScript = goredis.NewScript(`
redis.call('HSET', KEYS[1], 'profile', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`)

// Profile implements bot.Settings, from the cache when it can.
func (s *Store) Profile(ctx context.Context, community string) (bot.Profile, bool, error) {
	if e, ok := s.settings.get(community); ok {
		return e.p, e.ok, nil
	}
	gen, live := s.settings.begin()
	p, ok, err := s.readProfile(ctx, community)
	if err == nil && live {
		s.settings.fill(gen, community, cachedProfile{p, ok})
	}
	return p, ok, err
}

func (s *Store) readProfile(ctx context.Context, community string) (bot.Profile, bool, error) {
	b, err := s.c.HGet(ctx, s.prefix+"settings:"+community, "profile").Bytes()
	if errors.Is(err, goredis.Nil) {
		return bot.Profile{}, false, nil
	}
	if err != nil {
		return bot.Profile{}, false, fmt.Errorf("reading profile of %s from redis: %w", community, err)
	}
	var p bot.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return bot.Profile{}, false, corrupt(fmt.Errorf("decoding profile of %s: %w", community, err))
	}
	return p, true, nil
}

// SetProfile implements bot.Settings: the write and its announcement are
// one script call. Settings have no TTL.
func (s *Store) SetProfile(ctx context.Context, community string, p bot.Profile) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encoding profile of %s: %w", community, err)
	}
	err = setProfileScript.Run(ctx, s.c, []string{s.prefix + "settings:" + community}, b, s.prefix+settingsChannel, community+"\x00"+s.settings.id).Err()
	// Forget the old value here at once, whether or not the write made it:
	// this replica need not wait for its own announcement.
	s.settings.invalidate(community)
	if err != nil {
		return fmt.Errorf("writing profile of %s to redis: %w", community, err)
	}
	return nil
}

type cachedProfile struct {
	p  bot.Profile
	ok bool // a profile is set
}

// settingsCache is the profile cache and the subscriber that invalidates
// it. It caches only while subscribed: a lost subscription empties it, and
// until the subscription is back every read goes to Redis.
type settingsCache struct {
	id      string // tells this cache's own announcements apart
	entries atomic.Pointer[lru.Cache[cachedProfile]]

	// mu orders fills against invalidations: a read that started before an
	// invalidation must not put the value it read back in the cache.
	mu   sync.Mutex
	gen  uint64 // bumped by every invalidation
	live bool   // subscribed: changes are being heard

	ps        *goredis.PubSub
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func startSettingsCache(c goredis.UniversalClient, channel string) *settingsCache {
	var id [8]byte
	_, _ = rand.Read(id[:]) // never fails
	sc := &settingsCache{
		id:   hex.EncodeToString(id[:]),
		ps:   c.Subscribe(context.Background()), // no channel yet: does not connect
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	sc.entries.Store(lru.New[cachedProfile](settingsCacheSize, nil))
	go sc.run(channel)
	return sc
}

func (c *settingsCache) get(community string) (cachedProfile, bool) {
	return c.entries.Load().Get(community)
}

// begin is called before reading a profile from Redis, for fill.
func (c *settingsCache) begin() (gen uint64, live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.live
}

// fill caches a profile read since begin returned gen, unless something
// was invalidated meanwhile.
func (c *settingsCache) fill(gen uint64, community string, e cachedProfile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen && c.live {
		c.entries.Load().Set(community, e, settingsCacheTTL)
	}
}

func (c *settingsCache) invalidate(community string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries.Load().Delete(community)
}

// reset empties the cache; live says whether changes are heard from now on.
func (c *settingsCache) reset(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.live = live
	c.entries.Store(lru.New[cachedProfile](settingsCacheSize, nil))
}

// isLive reports whether the subscription is up (for tests).
func (c *settingsCache) isLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// run receives announcements until close. go-redis reconnects and
// subscribes again by itself after an error; every (re)subscription is
// confirmed by a "subscribe" message, which empties the cache once more,
// since announcements made while it was away were missed.
func (c *settingsCache) run(channel string) {
	defer close(c.done)
	ctx := context.Background()
	backoff := minResubscribe
	err := c.ps.Subscribe(ctx, channel) // remembered even when it fails
	for {
		var msg any
		if err == nil {
			msg, err = c.ps.Receive(ctx)
		}
		select {
		case <-c.stop:
			return
		default:
		}
		if err != nil {
			c.reset(false)
			t := time.NewTimer(backoff)
			select {
			case <-c.stop:
				t.Stop()
				return
			case <-t.C:
			}
			backoff = min(2*backoff, maxResubscribe)
			err = nil
			continue
		}
		backoff = minResubscribe
		switch m := msg.(type) {
		case *goredis.Subscription:
			if m.Kind == "subscribe" {
				c.reset(true)
			}
		case *goredis.Message:
			if community, from, _ := strings.Cut(m.Payload, "\x00"); from != c.id {
				c.invalidate(community)
			}
		}
	}
}

// close stops the subscriber and waits for it.
func (c *settingsCache) close() {
	c.closeOnce.Do(func() {
		close(c.stop)
		_ = c.ps.Close()
		<-c.done
	})
}
