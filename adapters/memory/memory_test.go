package memory_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/internal/fakeclock"
)

// TestSweep: expired entries are dropped even if never read again.
func TestSweep(t *testing.T) {
	ctx := context.Background()
	clk := fakeclock.New(time.Unix(1000, 0))
	s, err := memory.Open(memory.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		s.FirstDelivery(ctx, id, time.Second)
		s.Allow(ctx, id, 5, time.Second)
		s.Remember(ctx, id, bot.Conversation{ReviewID: id}, time.Second)
	}
	if c, e, w := s.Len(); c != 3 || e != 3 || w != 3 {
		t.Fatalf("Len = %d, %d, %d; want 3 each", c, e, w)
	}
	clk.Add(2 * time.Minute)
	s.FirstDelivery(ctx, "fresh", time.Hour) // any write may sweep
	if c, e, w := s.Len(); c != 0 || e != 1 || w != 0 {
		t.Fatalf("after the sweep Len = %d, %d, %d; want 0, 1, 0", c, e, w)
	}
}

func TestCacheBounded(t *testing.T) {
	ctx := context.Background()
	s, err := memory.Open(memory.Options{CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c"} {
		s.Set(ctx, k, []byte(k), time.Hour)
	}
	if _, ok, _ := s.Get(ctx, "a"); ok {
		t.Fatal("a cache of 2 holds 3 entries")
	}
}

func TestSettingsFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "settings.json")
	s, err := memory.Open(memory.Options{SettingsFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 8}); err != nil {
		t.Fatal(err)
	}
	restarted, err := memory.Open(memory.Options{SettingsFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok, _ := restarted.Profile(ctx, "slack:T1"); !ok || p.Age != 8 {
		t.Fatalf("after a restart: %+v, %v; want age 8", p, ok)
	}

	t.Run("failed save changes nothing", func(t *testing.T) {
		// A settings file in a directory that does not exist cannot be written.
		s, err := memory.Open(memory.Options{SettingsFile: filepath.Join(t.TempDir(), "missing", "settings.json")})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetProfile(ctx, "slack:T1", bot.Profile{Age: 8}); err == nil {
			t.Fatal("no error when the settings file cannot be written")
		}
		if _, ok, _ := s.Profile(ctx, "slack:T1"); ok {
			t.Fatal("a profile that could not be saved is in use")
		}
	})
	t.Run("corrupt file is an error", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "settings.json")
		os.WriteFile(bad, []byte("{"), 0o600)
		if _, err := memory.Open(memory.Options{SettingsFile: bad}); err == nil {
			t.Fatal("opened a corrupt settings file")
		}
	})
}
