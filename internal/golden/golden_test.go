package golden

import (
	"path/filepath"
	"testing"
)

// recorder captures failures without failing the outer test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golden", "x.txt")
	rec := &recorder{TB: t}
	Check(rec, path, []byte("one"), false)
	if !rec.failed {
		t.Fatal("a missing golden file passed")
	}
	Check(t, path, []byte("one"), true)
	rec = &recorder{TB: t}
	Check(rec, path, []byte("one"), false)
	if rec.failed {
		t.Fatal("identical output failed")
	}
	Check(rec, path, []byte("two"), false)
	if !rec.failed {
		t.Fatal("different output passed")
	}
}
