// Package redis implements the bot's shared-state interfaces on Redis
// (standalone, Sentinel or Cluster, through go-redis's UniversalClient), so
// that several stateless replicas share one cache, one set of rate limits,
// de-duplication marks, conversations and settings.
//
// A question costs one round trip: Admit (bot.Gate) de-duplicates it,
// charges its rate limits and moves its conversation on in one Lua script,
// on keys that share one Cluster hash slot (the question's scope is their
// hash tag); the community's profile comes from an in-process cache that
// pub/sub invalidates. Keys are namespaced by a prefix ("advisorybot:" by
// default):
//
//	<prefix>{<scope>}:event:<key>   de-duplication mark (Admit: SET NX PX)
//	<prefix>{<scope>}:rate:<key>    fixed-window counter (Admit: INCR + PEXPIRE)
//	<prefix>{<scope>}:conv:<key>    conversation, a hash: title, year, age, id (Admit)
//	<prefix>cache:<key>             the upstream (TMDB) cache's shared tier (SET PX / GET),
//	                                keys "upstream:search:…" and "upstream:details:…"
//	<prefix>rate:<key>              Allow's fixed window: TMDB's outgoing rate ("rate:tmdb")
//	<prefix>settings:<community>    hash; field "profile" holds the JSON profile; no TTL
//	<prefix>settings:changed        pub/sub channel: the community whose settings changed
package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/bot"
)

// DefaultPrefix namespaces every key.
const DefaultPrefix = "advisorybot:"

// Store implements bot.Gate, bot.Cache, bot.Settings and Allow (the TMDB
// client's shared rate limit, tmdb.Limiter). It is safe for concurrent use. It
// owns a goroutine subscribed to settings changes; Close stops it.
type Store struct {
	c      goredis.UniversalClient
	prefix string

	settings *settingsCache
}

// New returns a Store on an existing client; prefix "" means DefaultPrefix.
// A prefix should hold no "{" or "}": keys carry their own Cluster hash tag
// (see Admit), and a brace in the prefix would put every key in one slot.
// The Store starts its settings subscriber; Close stops it and the client.
func New(c goredis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	s := &Store{c: c, prefix: prefix}
	s.settings = startSettingsCache(c, prefix+settingsChannel)
	return s
}

// Open builds a client from cfg. It does not wait for a connection (the
// pool opens its idle connections in the background), so a Redis that is
// down at start is a degraded start, not a failure.
func Open(cfg Config, prefix string) (*Store, error) {
	o, err := cfg.ClientOptions()
	if err != nil {
		return nil, err
	}
	if cfg.Logger != nil {
		goredis.SetLogger(debugLogger{cfg.Logger})
	}
	return New(goredis.NewUniversalClient(o), prefix), nil
}

// Client is the underlying client.
func (s *Store) Client() goredis.UniversalClient { return s.c }

// Close stops the settings subscriber and closes the client.
func (s *Store) Close() error {
	s.settings.close()
	if err := s.c.Close(); err != nil {
		return fmt.Errorf("closing redis client: %w", err)
	}
	return nil
}

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("pinging redis: %w", err)
	}
	return nil
}

// Get implements bot.Cache.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := s.c.Get(ctx, s.prefix+"cache:"+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading cache %s from redis: %w", key, err)
	}
	return b, true, nil
}

// Set implements bot.Cache.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	if err := s.c.Set(ctx, s.prefix+"cache:"+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("writing cache %s to redis: %w", key, err)
	}
	return nil
}

// allowScript counts an event in a fixed window that starts with the
// window's first event. The PTTL check repairs a counter left without an
// expiry (e.g. written by hand), which would otherwise block forever.
var allowScript = goredis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n`)

// Allow counts an event in key's fixed window and reports whether it is
// within limit, across every replica: the TMDB client's outgoing rate
// (tmdb.Limiter). One round trip (EVALSHA; EVAL once after Redis lost its
// script cache).
func (s *Store) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	n, err := allowScript.Run(ctx, s.c, []string{s.prefix + "rate:" + key}, window.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("counting %s in redis: %w", key, err)
	}
	return n <= int64(limit), nil
}

// corruptError marks a value Redis returned that could not be decoded: a
// problem with the data, not with Redis being reachable.
type corruptError struct{ err error }

func (e corruptError) Error() string { return e.err.Error() }
func (e corruptError) Unwrap() error { return e.err }

func corrupt(err error) error { return corruptError{err} }

// Unavailable reports whether err means Redis cannot serve now (down, slow,
// loading, read-only, out of memory...), as opposed to a bad value, a
// command error or a bad request, for which answering from memory would not
// help, and to this client's own pool being busy (see Busy).
func Unavailable(err error) bool {
	if err == nil || errors.As(err, new(corruptError)) || errors.Is(err, bot.ErrInvalidAdmit) || Busy(err) {
		return false
	}
	var re goredis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		for _, p := range []string{"WRONGTYPE", "ERR ", "NOSCRIPT"} {
			if strings.HasPrefix(msg, p) {
				return false
			}
		}
	}
	return true
}

// Busy reports whether err means that no pooled connection was free in
// time: this replica has more operations in flight than its pool holds,
// which says nothing about Redis. (When Redis hangs, the operations holding
// the connections time out themselves and are the ones reported as
// Unavailable.)
func Busy(err error) bool {
	return errors.Is(err, goredis.ErrPoolTimeout) || errors.Is(err, goredis.ErrPoolExhausted)
}
