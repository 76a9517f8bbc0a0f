package catalog

import (
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
)

// Live serves the current catalog and swaps in a new one on Reload. A failed
// reload keeps the old catalog serving.
type Live struct {
	fsys    fs.FS
	reload  sync.Mutex // one reload at a time: a slow one never overwrites a newer one
	current atomic.Pointer[Catalog]
}

// NewLive loads fsys once; it fails when the first load fails.
func NewLive(fsys fs.FS) (*Live, error) {
	l := &Live{fsys: fsys}
	if err := l.Reload(); err != nil {
		return nil, err
	}
	return l, nil
}

// Current returns the catalog serving now.
func (l *Live) Current() *Catalog { return l.current.Load() }

// Reload reads the files again. On error the previous catalog stays.
func (l *Live) Reload() error {
	l.reload.Lock()
	defer l.reload.Unlock()
	c, err := Load(l.fsys)
	if err != nil {
		return fmt.Errorf("reloading catalog: %w", err)
	}
	l.current.Store(c)
	return nil
}
