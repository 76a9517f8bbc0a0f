// Package memory implements the bot's shared-state interfaces in process,
// for a single replica with no Redis, and as the fallback while Redis is
// unavailable (see adapters/failover).
package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"advisorybot/bot"
	"advisorybot/internal/lru"
)

// Options configure a Store. The zero value is usable.
type Options struct {
	// CacheSize bounds the lookup cache in entries (default DefaultCacheSize).
	CacheSize int
	// SettingsFile, when set, keeps community settings in that JSON file so
	// they survive a restart of a single process; it is read by Open and
	// rewritten (atomically) by every SetProfile.
	SettingsFile string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultCacheSize is the lookup cache capacity when Options.CacheSize is 0.
const DefaultCacheSize = 10_000

// sweepEvery is how often expired conversations, de-duplication marks and
// rate-limit windows are dropped, so that the maps do not grow forever.
const sweepEvery = time.Minute

// Store keeps conversations, de-duplication marks, rate-limit windows and
// settings in maps guarded by one mutex (the working set is small), and
// lookups in a bounded LRU cache.
type Store struct {
	now          func() time.Time
	cache        *lru.Cache[[]byte]
	settingsFile string

	mu        sync.Mutex
	lastSweep time.Time
	windows   map[string]window // Allow's
	profiles  map[string]bot.Profile

	// What Admit keeps, per scope (see bot.Admit).
	admitSeen    map[scoped]time.Time
	admitWindows map[scoped]window
	threads      map[scoped]expiring[bot.Thread]
}

// scoped is a key within a bot.Admit scope.
type scoped struct{ scope, key string }

type expiring[T any] struct {
	v   T
	exp time.Time
}

type window struct {
	start time.Time
	per   time.Duration
	n     int
}

// New returns an empty store with default options.
func New() *Store {
	s, _ := Open(Options{}) // cannot fail without a settings file
	return s
}

// Open returns a store; with a SettingsFile it loads the settings saved there.
func Open(o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	s := &Store{
		now:          o.Now,
		cache:        lru.New[[]byte](o.CacheSize, o.Now),
		settingsFile: o.SettingsFile,
		lastSweep:    o.Now(),
		windows:      map[string]window{},
		profiles:     map[string]bot.Profile{},
		admitSeen:    map[scoped]time.Time{},
		admitWindows: map[scoped]window{},
		threads:      map[scoped]expiring[bot.Thread]{},
	}
	if o.SettingsFile != "" {
		b, err := os.ReadFile(o.SettingsFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("reading settings file: %w", err)
		default:
			if err := json.Unmarshal(b, &s.profiles); err != nil {
				return nil, fmt.Errorf("reading settings file %s: %w", o.SettingsFile, err)
			}
		}
	}
	return s, nil
}

// Get implements bot.Cache.
func (s *Store) Get(_ context.Context, key string) ([]byte, bool, error) {
	b, ok := s.cache.Get(key)
	if !ok {
		return nil, false, nil
	}
	return append([]byte{}, b...), true, nil
}

// Set implements bot.Cache.
func (s *Store) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	s.cache.Set(key, append([]byte{}, value...), ttl)
	return nil
}

// Allow counts an event in a fixed window per key and reports whether it
// is within limit: the TMDB client's outgoing rate (tmdb.Limiter).
func (s *Store) Allow(_ context.Context, key string, limit int, per time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	w := s.windows[key]
	if now.Sub(w.start) >= per {
		w = window{start: now, per: per}
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

// SetProfile implements bot.Settings. With a settings file, the change is
// saved before it is applied: a failed save changes nothing.
func (s *Store) SetProfile(_ context.Context, community string, p bot.Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, had := s.profiles[community]
	s.profiles[community] = p
	if err := s.saveSettings(); err != nil {
		if had {
			s.profiles[community] = old
		} else {
			delete(s.profiles, community)
		}
		return fmt.Errorf("saving profile of %s: %w", community, err)
	}
	return nil
}

// saveSettings writes the profiles to a temporary file and renames it over
// the settings file, so a crash never leaves half a file. s.mu is held.
func (s *Store) saveSettings() error {
	if s.settingsFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(s.profiles, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding settings: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.settingsFile), filepath.Base(s.settingsFile)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing settings: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing settings: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing settings: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.settingsFile); err != nil {
		return fmt.Errorf("writing settings: %w", err)
	}
	return nil
}

// sweep drops expired entries at most once per sweepEvery. s.mu is held.
func (s *Store) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < sweepEvery {
		return
	}
	s.lastSweep = now
	for k, w := range s.windows {
		if now.Sub(w.start) >= w.per {
			delete(s.windows, k)
		}
	}
	for k, exp := range s.admitSeen {
		if !now.Before(exp) {
			delete(s.admitSeen, k)
		}
	}
	for k, w := range s.admitWindows {
		if now.Sub(w.start) >= w.per {
			delete(s.admitWindows, k)
		}
	}
	for k, e := range s.threads {
		if !now.Before(e.exp) {
			delete(s.threads, k)
		}
	}
	s.cache.Sweep()
}

// Len reports how many conversations, de-duplication marks and rate-limit
// windows (Admit's and Allow's) are held, for tests and metrics.
func (s *Store) Len() (conversations, events, windows int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.threads), len(s.admitSeen), len(s.windows) + len(s.admitWindows)
}
