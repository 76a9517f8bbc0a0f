//go:build unix

package catalog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReloadNamedPipe: a named pipe called *.json in the data directory,
// or a link to one, is reported, not opened (opening it would wait for a
// writer forever), and the next reload is not held up by it.
func TestReloadNamedPipe(t *testing.T) {
	dir, _, live := stormLive(t)
	first := live.Current()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	if err := syscall.Mkfifo(elsewhere, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	reload := func() error {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- live.Reload(context.Background()) }()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second): // a guard against hanging, not a wait
			t.Fatal("Reload blocked on a named pipe")
			return nil
		}
	}
	for i := range 2 {
		err := reload()
		if err == nil || !strings.Contains(err.Error(), "pipe.json: is a named pipe (FIFO), not a regular file") || !strings.Contains(err.Error(), "link.json: is a named pipe") {
			t.Fatalf("reload %d: %v; want both files named as named pipes", i+1, err)
		}
		if live.Current() != first {
			t.Fatalf("reload %d replaced the catalog", i+1)
		}
	}
	// Links to regular files are read.
	meadow := filepath.Join(t.TempDir(), "meadow")
	writeFile(t, filepath.Dir(meadow), "meadow", encode(t, reviewDoc(t, "fixture-meadow-friends.json")))
	if err := os.Symlink(meadow, filepath.Join(dir, "fixture-meadow-friends.json")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pipe.json", "link.json"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := reload(); err != nil {
		t.Fatal(err)
	}
	if _, ok := live.Current().Review("fixture-meadow-friends"); !ok || live.Current().Len() != 2 {
		t.Errorf("after removing the pipe: %d reviews, want both the file and the linked one", live.Current().Len())
	}
}
