//go:build unix

package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"testing/synctest"
	"time"

	"advisorybot/bot/catalog"
)

// stuckFS serves review files whose reads can be made to stop answering.
type stuckFS struct {
	files atomic.Pointer[fstest.MapFS]
	stuck atomic.Pointer[chan struct{}]
}

func (s *stuckFS) fs() fstest.MapFS { return *s.files.Load() }

func (s *stuckFS) Open(name string) (fs.File, error) {
	if c := s.stuck.Load(); c != nil && name != "." {
		<-*c
	}
	return s.fs().Open(name)
}

func (s *stuckFS) ReadDir(name string) ([]fs.DirEntry, error) { return s.fs().ReadDir(name) }
func (s *stuckFS) Stat(name string) (fs.FileInfo, error)      { return s.fs().Stat(name) }

func (s *stuckFS) serve(t *testing.T, names ...string) {
	t.Helper()
	files := fstest.MapFS{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("../../testdata/reviews", n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	s.files.Store(&files)
}

// TestReloadTimesOut: a SIGHUP reload whose files stop answering gives up
// at its deadline, says so in the log and keeps the old catalog; the next
// SIGHUP reloads.
func TestReloadTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e, logs := testEnv(nil)
		fsys := &stuckFS{}
		fsys.serve(t, "ballerina-2023.json")
		live, err := catalog.NewLive(fsys)
		if err != nil {
			t.Fatal(err)
		}
		first := live.Current()
		ctx, cancel := context.WithCancel(t.Context())
		hup := make(chan os.Signal)
		done := make(chan error, 1)
		go func() { done <- e.reloadOn(ctx, hup, live, 10*time.Second) }()

		stuck := make(chan struct{})
		fsys.stuck.Store(&stuck)
		hup <- syscall.SIGHUP
		time.Sleep(11 * time.Second) // the bubble's clock: passes at once
		synctest.Wait()
		if !strings.Contains(logs.String(), `level=ERROR msg="catalog reload timed out; still serving the previous catalog" timeout=10s`) || live.Current() != first {
			t.Fatalf("after a stuck reload: catalog replaced %v; log:\n%s", live.Current() != first, logs)
		}

		fsys.stuck.Store(nil)
		fsys.serve(t, "ballerina-2023.json", "ballerina-2016.json")
		hup <- syscall.SIGHUP
		synctest.Wait()
		if !strings.Contains(logs.String(), `msg="catalog reloaded"`) || live.Current().Len() != 2 {
			t.Fatalf("the SIGHUP after a stuck reload: %d reviews; log:\n%s", live.Current().Len(), logs)
		}
		close(stuck)
		cancel()
		<-done
	})
}

// TestReloadNamedPipe: a named pipe called *.json in the data directory
// fails that reload with a logged error, and the next SIGHUP still reloads.
func TestReloadNamedPipe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		copyReview := func(name string) {
			t.Helper()
			b, err := os.ReadFile(filepath.Join("../../testdata/reviews", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		copyReview("ballerina-2023.json")
		live, err := catalog.NewLive(os.DirFS(dir))
		if err != nil {
			t.Fatal(err)
		}
		pipe := filepath.Join(dir, "pipe.json")
		if err := syscall.Mkfifo(pipe, 0o644); err != nil {
			t.Fatal(err)
		}
		e, logs := testEnv(nil)
		ctx, cancel := context.WithCancel(t.Context())
		hup := make(chan os.Signal)
		done := make(chan error, 1)
		go func() { done <- e.reloadOn(ctx, hup, live, 10*time.Second) }()

		hup <- syscall.SIGHUP
		synctest.Wait() // the reload has ended: the loop waits for the next signal
		if !strings.Contains(logs.String(), "catalog reload failed; still serving the previous catalog") || !strings.Contains(logs.String(), "pipe.json: is a named pipe") {
			t.Fatalf("the reload with the pipe was not logged as failed:\n%s", logs)
		}
		if err := os.Remove(pipe); err != nil {
			t.Fatal(err)
		}
		copyReview("ballerina-2016.json")
		hup <- syscall.SIGHUP
		synctest.Wait()
		if !strings.Contains(logs.String(), `msg="catalog reloaded"`) || live.Current().Len() != 2 {
			t.Errorf("the next SIGHUP did not reload: %d reviews; log:\n%s", live.Current().Len(), logs)
		}
		cancel()
		<-done
	})
}
