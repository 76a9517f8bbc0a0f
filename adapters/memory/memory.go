// Package memory implements the bot's shared-state interfaces in process,
// for a single replica with no Redis.
package memory

import (
	"context"
	"sync"
	"time"

	"advisorybot/bot"
)

// Store keeps conversations, de-duplication marks, rate-limit windows and
// settings in maps guarded by one mutex; the working set is small.
type Store struct {
	now func() time.Time

	mu       sync.Mutex
	convs    map[string]expiring[bot.Conversation]
	seen     map[string]time.Time
	windows  map[string]window
	profiles map[string]bot.Profile
}

type expiring[T any] struct {
	v   T
	exp time.Time
}

type window struct {
	start time.Time
	n     int
}

// New returns an empty store.
func New() *Store {
	return &Store{
		now:      time.Now,
		convs:    map[string]expiring[bot.Conversation]{},
		seen:     map[string]time.Time{},
		windows:  map[string]window{},
		profiles: map[string]bot.Profile{},
	}
}

// Recall implements bot.Conversations.
func (s *Store) Recall(_ context.Context, key string) (bot.Conversation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.convs[key]
	if !ok || s.now().After(e.exp) {
		delete(s.convs, key)
		return bot.Conversation{}, false, nil
	}
	return e.v, true, nil
}

// Remember implements bot.Conversations.
func (s *Store) Remember(_ context.Context, key string, c bot.Conversation, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.convs[key] = expiring[bot.Conversation]{c, s.now().Add(ttl)}
	return nil
}

// FirstDelivery implements bot.Deduper.
func (s *Store) FirstDelivery(_ context.Context, id string, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if exp, ok := s.seen[id]; ok && now.Before(exp) {
		return false, nil
	}
	s.seen[id] = now.Add(ttl)
	return true, nil
}

// Allow implements bot.RateLimiter with a fixed window per key.
func (s *Store) Allow(_ context.Context, key string, limit int, per time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	w := s.windows[key]
	if now.Sub(w.start) >= per {
		w = window{start: now}
	}
	w.n++
	s.windows[key] = w
	return w.n <= limit, nil
}

// Profile implements bot.Settings.
func (s *Store) Profile(_ context.Context, community string) (bot.Profile, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[community]
	return p, ok, nil
}

// SetProfile implements bot.Settings.
func (s *Store) SetProfile(_ context.Context, community string, p bot.Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[community] = p
	return nil
}
