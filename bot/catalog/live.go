package catalog

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
)

// Live serves the current catalog and swaps in a new one on Reload. A failed
// or timed-out reload keeps the old catalog serving.
type Live struct {
	fsys    fs.FS
	current atomic.Pointer[Catalog]

	mu      sync.Mutex // guards the two counters
	started uint64     // reloads begun
	stored  uint64     // the reload whose catalog is serving
}

// NewLive loads fsys once; it fails when the first load fails.
func NewLive(fsys fs.FS) (*Live, error) {
	c, err := Load(context.Background(), fsys)
	if err != nil {
		return nil, err
	}
	l := &Live{fsys: fsys}
	l.current.Store(c)
	return l, nil
}

// Current returns the catalog serving now.
func (l *Live) Current() *Catalog { return l.current.Load() }

// Reload reads the files again and serves them. On error the previous
// catalog stays. It returns when ctx ends even if a read is stuck (a file
// system that does not answer): that read is abandoned and its result
// dropped, and later reloads do not wait for it. A reload that finishes
// after a newer one has been stored is dropped too.
func (l *Live) Reload(ctx context.Context) error {
	l.mu.Lock()
	l.started++
	n := l.started
	l.mu.Unlock()

	type result struct {
		c   *Catalog
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned load must still end
	go func() {
		c, err := Load(ctx, l.fsys)
		done <- result{c, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return fmt.Errorf("reloading catalog: gave up waiting for the files: %w", context.Cause(ctx))
	}
	if r.err != nil {
		return fmt.Errorf("reloading catalog: %w", r.err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n > l.stored {
		l.stored = n
		l.current.Store(r.c)
	}
	return nil
}
