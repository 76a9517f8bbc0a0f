package search

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// usFilmsPath is testdata/us-films.jsonl (a copy of ../shared/data/us-films.jsonl) relative to the repository
// root, computed from this file's location so it holds whatever the working
// directory.
func usFilmsPath() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return filepath.Join("..", "..", "testdata", "us-films.jsonl")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "us-films.jsonl")
}

var usFilms struct {
	once    sync.Once
	entries []Entry
	err     error
}

// loadUSFilms reads the 36k-title list once per test binary. A missing file
// skips the test locally but fails it in CI, where the data must be present.
func loadUSFilms(tb testing.TB) []Entry {
	tb.Helper()
	usFilms.once.Do(func() {
		usFilms.entries, usFilms.err = readUSFilms(usFilmsPath())
	})
	requireData(tb, usFilms.err, os.Getenv("CI") == "true")
	return usFilms.entries
}

// requireData skips tb when the list is missing outside CI, and fails it
// for any other error, or for a missing list in CI.
func requireData(tb testing.TB, err error, ci bool) {
	tb.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, fs.ErrNotExist) && !ci {
		tb.Skipf("us-films list not available: %v", err)
		return
	}
	tb.Fatalf("loading us-films list: %v", err)
}

func readUSFilms(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		var row struct {
			Title string `json:"title"`
			Year  int    `json:"year"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, Entry{ID: fmt.Sprintf("us-%d", line), Title: row.Title, Year: row.Year})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// usFilmsIndex builds the index over the list once per test binary.
var usIndex struct {
	once sync.Once
	ix   *Index
}

func usFilmsIndex(tb testing.TB) *Index {
	tb.Helper()
	entries := loadUSFilms(tb)
	usIndex.once.Do(func() { usIndex.ix = Build(entries) })
	return usIndex.ix
}
