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
		s.Allow(ctx, id, 5, time.Second)
	}
	if c, e, w := s.Len(); c != 0 || e != 0 || w != 3 {
		t.Fatalf("Len = %d, %d, %d; want 0, 0, 3", c, e, w)
	}
	clk.Add(2 * time.Minute)
	s.Allow(ctx, "fresh", 5, time.Hour) // any write may sweep
	if c, e, w := s.Len(); c != 0 || e != 0 || w != 1 {
		t.Fatalf("after the sweep Len = %d, %d, %d; want 0, 0, 1", c, e, w)
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

// TestSweepAdmissions: what Admit and Record keep is swept too, and a
// settings file keeps the new profile fields.
func TestSweepAdmissions(t *testing.T) {
	ctx := context.Background()
	clk := fakeclock.New(time.Unix(1000, 0))
	s, err := memory.Open(memory.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		r := bot.Admit{
			Scope: "s", EventKey: id, DedupeTTL: time.Second,
			Limits:    []bot.LimitCheck{{Key: id, Max: 5, Window: time.Second}},
			ThreadKey: id, ThreadTTL: time.Second, Note: bot.ThreadNote{Title: id},
		}
		if a, err := s.Admit(ctx, r); err != nil || !a.Admitted() {
			t.Fatalf("Admit = %+v, %v", a, err)
		}
	}
	s.Record(bot.Admit{Scope: "s", EventKey: "d", DedupeTTL: time.Second, ThreadKey: "d", ThreadTTL: time.Second},
		bot.Admission{LimitedBy: -1, Thread: bot.Thread{ID: "x"}})
	if c, e, w := s.Len(); c != 4 || e != 4 || w != 3 {
		t.Fatalf("Len = %d, %d, %d; want 4, 4, 3", c, e, w)
	}
	if th, ok := s.Thread("s", "d"); !ok || th.ID != "x" {
		t.Fatalf("recorded thread = %v, %v", th, ok)
	}
	clk.Add(2 * time.Minute)
	s.Admit(ctx, bot.Admit{Scope: "s", EventKey: "fresh", DedupeTTL: time.Hour}) // any write may sweep
	if c, e, w := s.Len(); c != 0 || e != 1 || w != 0 {
		t.Fatalf("after the sweep Len = %d, %d, %d; want 0, 1, 0", c, e, w)
	}
	if _, ok := s.Thread("s", "d"); ok {
		t.Fatal("an expired thread is still returned")
	}
}

func TestSettingsFileKeepsEveryField(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "settings.json")
	s, err := memory.Open(memory.Options{SettingsFile: path})
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Profile{Age: 12, Country: "DE", Visibility: "public"}
	if err := s.SetProfile(ctx, "discord:G1", want); err != nil {
		t.Fatal(err)
	}
	restarted, err := memory.Open(memory.Options{SettingsFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok, _ := restarted.Profile(ctx, "discord:G1"); !ok || p != want {
		t.Fatalf("after a restart: %+v, %v; want %+v", p, ok, want)
	}
}
