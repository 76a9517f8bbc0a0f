package catalog

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"testing/synctest"
	"time"
)

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLiveReload(t *testing.T) {
	dir, storm, live := stormLive(t)
	first := live.Current()
	v1 := first.Version()

	// Break the file: the reload fails, naming the file and field, and the
	// old catalog keeps serving.
	set(t, storm, "concerns.violence.severity", "extreme")
	writeFile(t, dir, "fixture-storm-harbor.json", encode(t, storm))
	err := live.Reload(context.Background())
	if err == nil {
		t.Fatal("Reload accepted a broken file")
	}
	if !strings.Contains(err.Error(), "fixture-storm-harbor.json") || !strings.Contains(err.Error(), "concerns.violence.severity") {
		t.Errorf("Reload error %q does not name the file and field", err)
	}
	if live.Current() != first || live.Current().Version() != v1 {
		t.Fatalf("a failed reload replaced the catalog")
	}
	if r, ok := live.Current().Review("fixture-storm-harbor"); !ok || r.Concerns.Violence.Severity != SeverityModerate {
		t.Errorf("old review not served after a failed reload: %+v", r)
	}

	// Fix it with new content, and add a file: the new catalog serves.
	set(t, storm, "concerns.violence.severity", "severe")
	writeFile(t, dir, "fixture-storm-harbor.json", encode(t, storm))
	writeFile(t, dir, "fixture-meadow-friends.json", encode(t, reviewDoc(t, "fixture-meadow-friends.json")))
	if err := live.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := live.Current()
	if c.Version() == v1 {
		t.Error("new content kept the old version")
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	if r, _ := c.Review("fixture-storm-harbor"); r.Concerns.Violence.Severity != SeveritySevere {
		t.Errorf("reloaded severity = %s, want severe", r.Concerns.Violence.Severity)
	}
	// The old catalog is untouched: readers holding it see consistent data.
	if r, _ := first.Review("fixture-storm-harbor"); r.Concerns.Violence.Severity != SeverityModerate {
		t.Error("reload changed the old catalog")
	}
	// Removing every file fails the reload too.
	os.Remove(filepath.Join(dir, "fixture-storm-harbor.json"))
	os.Remove(filepath.Join(dir, "fixture-meadow-friends.json"))
	if err := live.Reload(context.Background()); err == nil || live.Current() != c {
		t.Errorf("reload of an empty directory: err %v, catalog replaced %v", err, live.Current() != c)
	}
}

func TestNewLiveFails(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad.json", []byte("{"))
	if l, err := NewLive(os.DirFS(dir)); err == nil || l != nil {
		t.Errorf("NewLive = %v, %v; want an error", l, err)
	}
}

// TestLiveConcurrent reads while reloading; run with -race.
func TestLiveConcurrent(t *testing.T) {
	_, _, live := stormLive(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if r := live.Current().Search("Fixture Storm Harbor", 0); len(r.Hits) != 1 {
					t.Errorf("hits = %d", len(r.Hits))
					return
				}
			}
		})
	}
	for range 20 {
		if err := live.Reload(context.Background()); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
}

// TestLiveConcurrentReloads: reloads racing each other and readers leave the
// newest content serving; run with -race.
func TestLiveConcurrentReloads(t *testing.T) {
	dir, storm, live := stormLive(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				if err := live.Reload(context.Background()); err != nil {
					t.Error(err)
				}
				live.Current().Search("storm harbor", 0)
			}
		})
	}
	wg.Wait()
	set(t, storm, "summary", "TEST FIXTURE: final.")
	writeFile(t, dir, "fixture-storm-harbor.json", encode(t, storm))
	if err := live.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, _ := live.Current().Review("fixture-storm-harbor"); r.Summary != "TEST FIXTURE: final." {
		t.Errorf("serving %q", r.Summary)
	}
}

// stormLive serves a directory holding one review, the Storm Harbor fixture; it returns the directory, the review's document for
// editing, and the Live catalog.
func stormLive(t *testing.T) (string, map[string]any, *Live) {
	t.Helper()
	dir := t.TempDir()
	storm := reviewDoc(t, "fixture-storm-harbor.json")
	writeFile(t, dir, "fixture-storm-harbor.json", encode(t, storm))
	live, err := NewLive(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return dir, storm, live
}

// gateFS serves a MapFS that can be swapped, and whose files can be made to
// block on Open until a channel is closed: a file system that stops answering.
type gateFS struct {
	files atomic.Pointer[fstest.MapFS]
	gate  atomic.Pointer[chan struct{}]
}

func newGateFS(files fstest.MapFS) *gateFS {
	g := &gateFS{}
	g.files.Store(&files)
	return g
}

func (g *gateFS) fs() fstest.MapFS { return *g.files.Load() }

func (g *gateFS) Open(name string) (fs.File, error) {
	if c := g.gate.Load(); c != nil && name != "." {
		<-*c
	}
	return g.fs().Open(name)
}

func (g *gateFS) ReadDir(name string) ([]fs.DirEntry, error) { return g.fs().ReadDir(name) }
func (g *gateFS) Stat(name string) (fs.FileInfo, error)      { return g.fs().Stat(name) }

// TestReloadDeadline: a reload stuck in a read gives up at its deadline
// and keeps the old catalog; the next reload is not held up by the stuck
// one, and the stuck one's late result is dropped.
func TestReloadDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		storm := reviewDoc(t, "fixture-storm-harbor.json")
		const name = "fixture-storm-harbor.json"
		g := newGateFS(mapFS(map[string][]byte{name: encode(t, storm)}))
		live, err := NewLive(g)
		if err != nil {
			t.Fatal(err)
		}
		first := live.Current()

		stuck := make(chan struct{})
		g.gate.Store(&stuck)
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		err = live.Reload(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || live.Current() != first {
			t.Fatalf("stuck reload: %v, catalog replaced %v; want the deadline, and the old catalog", err, live.Current() != first)
		}

		// Another stuck reload, still within its deadline, while a newer one
		// succeeds: the newer one serves, and the older one's late result is dropped.
		ctx, cancel = context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		older := make(chan error, 1)
		go func() { older <- live.Reload(ctx) }()
		synctest.Wait()
		g.gate.Store(nil)
		set(t, storm, "summary", "TEST FIXTURE: newer.")
		files := mapFS(map[string][]byte{name: encode(t, storm)})
		g.files.Store(&files)
		if err := live.Reload(t.Context()); err != nil {
			t.Fatal(err)
		}
		newer := live.Current()
		if r, _ := newer.Review("fixture-storm-harbor"); newer == first || r.Summary != "TEST FIXTURE: newer." {
			t.Fatalf("the reload after a stuck one did not serve the new content")
		}
		close(stuck)
		if err := <-older; err != nil {
			t.Fatalf("the older reload: %v", err)
		}
		synctest.Wait() // the first stuck load ends too
		if live.Current() != newer {
			t.Error("a reload that began earlier replaced the newer catalog")
		}
	})
}
