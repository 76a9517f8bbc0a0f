package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Tests over the 36,273-title US film list (testdata/us-films.jsonl, a copy of ../shared/data/us-films.jsonl).

func years(es []Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Year
	}
	return out
}

func titles(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Title
	}
	return out
}

func TestUSFilmsSameName(t *testing.T) {
	ix := usFilmsIndex(t)
	tests := []struct {
		query string
		year  int
		kind  MatchKind
		title string
		years []int // of the hits, or of the suggestions when kind is None
	}{
		{"treasure island", 0, Exact, "Treasure Island", []int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}},
		{"Treasure Island", 1950, Exact, "Treasure Island", []int{1950}},
		{"treasure island", 1972, Exact, "Treasure Island", []int{1972, 1972}}, // two films, one year: both
		{"treasure island", 1951, None, "Treasure Island", []int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}},
		{"Tresure Island", 0, Fuzzy, "Treasure Island", []int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}},
		{"Tresure Island", 1950, Fuzzy, "Treasure Island", []int{1950}},
		{"Tresure Island", 1951, None, "Treasure Island", []int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}},
		{"The Three Musketeers", 0, Exact, "The Three Musketeers", []int{1916, 1921, 1935, 1939, 1948, 1973, 1993, 2011}},
		{"Three Musketeers, The", 0, Exact, "The Three Musketeers", []int{1916, 1921, 1935, 1939, 1948, 1973, 1993, 2011}},
		{"three musketeers", 1993, Exact, "The Three Musketeers", []int{1993}},
		{"Three Muskateers", 0, Fuzzy, "The Three Musketeers", []int{1916, 1921, 1935, 1939, 1948, 1973, 1993, 2011}},
		{"Alice in Wonderland", 0, Exact, "Alice in Wonderland", []int{1903, 1931, 1933, 1951, 1985, 2010}},
		{"alice in wonderland", 1951, Exact, "Alice in Wonderland", []int{1951}},
		{"Alice in Wonderlnad", 2010, Fuzzy, "Alice in Wonderland", []int{2010}},
		{"The Lion King", 0, Exact, "The Lion King", []int{1994, 2019}},
		{"Lion King, The", 0, Exact, "The Lion King", []int{1994, 2019}},
		{"lion king", 2019, Exact, "The Lion King", []int{2019}},
		{"A Quiet Place", 0, Exact, "A Quiet Place", []int{2018}},
		{"quiet place", 0, Exact, "A Quiet Place", []int{2018}},
		{"Up", 0, Exact, "Up", []int{1976, 2009}}, // "Up!" (1976) and "Up" (2009) share a key
		{"It", 0, Exact, "It", []int{1927, 2017}},
		{"It", 2017, Exact, "It", []int{2017}},
		{"E.T. the Extra-Terrestrial", 0, Exact, "E.T. the Extra-Terrestrial", []int{1982}},
		{"Jaws", 0, Exact, "Jaws", []int{1975}},
		{"Jasw", 0, Fuzzy, "Jaws", []int{1975}},
		{"Easy A", 0, Exact, "Easy A", []int{2010}},
	}
	for _, tt := range tests {
		r := ix.Search(tt.query, tt.year)
		if r.Kind != tt.kind {
			t.Errorf("Search(%q, %d).Kind = %v, want %v (hits %v)", tt.query, tt.year, r.Kind, tt.kind, titles(r.Hits))
			continue
		}
		got := r.Hits
		if tt.kind == None {
			got = r.Suggestions
			if len(r.Hits) > 0 {
				t.Errorf("Search(%q, %d) has hits %v", tt.query, tt.year, titles(r.Hits))
			}
		}
		if !slices.Equal(years(got), tt.years) {
			t.Errorf("Search(%q, %d) years = %v, want %v", tt.query, tt.year, years(got), tt.years)
		}
		for _, e := range got {
			if Normalize(e.Title) != Normalize(tt.title) {
				t.Errorf("Search(%q, %d) returned %q (%d), want only %q", tt.query, tt.year, e.Title, e.Year, tt.title)
			}
		}
		if !distinctIDs(got) {
			t.Errorf("Search(%q, %d) lists an entry twice: %v", tt.query, tt.year, ids(got))
		}
	}
}

func distinctIDs(es []Entry) bool {
	seen := map[string]bool{}
	for _, e := range es {
		if seen[e.ID] {
			return false
		}
		seen[e.ID] = true
	}
	return true
}

// TestUSFilmsEveryTitleFound searches every title of the list by its own
// name: each must come back exactly, together with every title sharing its
// key, by year, and alone once its year is given (unless a same-name film
// came out the same year).
func TestUSFilmsEveryTitleFound(t *testing.T) {
	entries := loadUSFilms(t)
	ix := usFilmsIndex(t)
	type keyYear struct {
		key  string
		year int
	}
	byKey := map[string]int{}
	byKeyYear := map[keyYear]int{}
	for _, e := range entries {
		byKey[Normalize(e.Title)]++
		byKeyYear[keyYear{Normalize(e.Title), e.Year}]++
	}
	for _, e := range entries {
		key := Normalize(e.Title)
		if key == "" {
			continue
		}
		r := ix.Search(e.Title, 0)
		if r.Kind != Exact || !slices.ContainsFunc(r.Hits, func(h Entry) bool { return h.ID == e.ID }) {
			t.Fatalf("Search(%q) = %v %v, want %s among exact hits", e.Title, r.Kind, ids(r.Hits), e.ID)
		}
		if len(r.Hits) != byKey[key] {
			t.Fatalf("Search(%q) = %d hits, want %d", e.Title, len(r.Hits), byKey[key])
		}
		if !slices.IsSortedFunc(r.Hits, func(a, b Entry) int { return a.Year - b.Year }) {
			t.Fatalf("Search(%q) hits not by year: %v", e.Title, years(r.Hits))
		}
		r = ix.Search(e.Title, e.Year)
		if want := byKeyYear[keyYear{key, e.Year}]; r.Kind != Exact || len(r.Hits) != want {
			t.Fatalf("Search(%q, %d) = %v, %d hits, want %d", e.Title, e.Year, r.Kind, len(r.Hits), want)
		}
	}
	// The list's README counts 2,470 titles that occur more than once
	// (normalisation merges a few more names, and a few of those sets).
	byTitle := map[string]int{}
	for _, e := range entries {
		byTitle[e.Title]++
	}
	repeatedTitles, repeatedKeys := 0, 0
	for _, n := range byTitle {
		if n > 1 {
			repeatedTitles++
		}
	}
	for _, n := range byKey {
		if n > 1 {
			repeatedKeys++
		}
	}
	if repeatedTitles != 2470 {
		t.Errorf("%d repeated titles, want 2470", repeatedTitles)
	}
	t.Logf("%d titles and %d search keys name more than one film", repeatedTitles, repeatedKeys)
}

// TestUSFilmsTypoRecall makes typos in random titles (fixed seeds): one in
// 2,000 titles, two in 1,000 titles of eight letters or more. Every search
// must still find the title it came from, or another one no farther away.
func TestUSFilmsTypoRecall(t *testing.T) {
	ix := usFilmsIndex(t)
	entries := loadUSFilms(t)
	for _, tc := range []struct {
		typos int
		qs    []typoQuery
	}{
		{1, typoQueries(entries, 2000)},
		{2, typoQueriesN(entries, 1000, 2, 7)},
	} {
		missed := 0
		for _, q := range tc.qs {
			r := ix.Search(q.query, 0)
			if r.Kind == Exact {
				continue // the typos made another real title
			}
			if r.Kind != Fuzzy {
				missed++
				t.Errorf("%d typos: Search(%q) (from %q) = %v, suggestions %v", tc.typos, q.query, q.key, r.Kind, titles(r.Suggestions))
				continue
			}
			if slices.ContainsFunc(r.Hits, func(h Entry) bool { return Normalize(h.Title) == q.key }) {
				continue
			}
			want := distance(Normalize(q.query), q.key, 3)
			for _, h := range r.Hits {
				if distance(Normalize(q.query), Normalize(h.Title), 3) > want {
					t.Errorf("%d typos: Search(%q) (from %q) = %v, farther than the source", tc.typos, q.query, q.key, titles(r.Hits))
					break
				}
			}
		}
		if missed > 0 {
			t.Logf("%d typos: %d of %d queries missed", tc.typos, missed, len(tc.qs))
		}
	}
}

func TestUSFilmsShortTitlesNoTypos(t *testing.T) {
	ix := usFilmsIndex(t)
	for _, q := range []string{"Upp", "Ip", "Itt", "Uo", "Jws"} {
		if r := ix.Search(q, 0); r.Kind == Fuzzy {
			t.Errorf("Search(%q) = fuzzy %v, want no typo match for a short query", q, titles(r.Hits))
		}
	}
	// No fuzzy hit of any query may be a title of three letters or fewer.
	for _, q := range []string{"Upps", "Itts", "Jawss", "Elfs"} {
		r := ix.Search(q, 0)
		for _, h := range r.Hits {
			if r.Kind == Fuzzy && len(Normalize(h.Title)) <= 3 {
				t.Errorf("Search(%q) matched the short title %q by typo", q, h.Title)
			}
		}
	}
}

func TestUSFilmsNotFound(t *testing.T) {
	ix := usFilmsIndex(t)
	tests := []struct {
		query string
		want  string // among the suggestions
	}{
		{"The Lion King Returns Again", "The Lion King"},
		{"Treasure Island Adventure Pirates", "Treasure Island"},
		{"Alice Wonderland", "Alice in Wonderland"},
	}
	for _, tt := range tests {
		r := ix.Search(tt.query, 0)
		if r.Kind != None || len(r.Hits) > 0 {
			t.Errorf("Search(%q) = %v %v, want not found", tt.query, r.Kind, titles(r.Hits))
			continue
		}
		if len(r.Suggestions) == 0 || len(r.Suggestions) > suggestions {
			t.Errorf("Search(%q) gave %d suggestions, want 1-%d", tt.query, len(r.Suggestions), suggestions)
		}
		if !slices.Contains(titles(r.Suggestions), tt.want) {
			t.Errorf("Search(%q) suggestions = %v, want %q among them", tt.query, titles(r.Suggestions), tt.want)
		}
	}
	if r := ix.Search("Zqxv Plorkington Returns", 0); r.Kind != None || len(r.Hits) > 0 {
		t.Errorf("nonsense query found %v", titles(r.Hits))
	}
}

func TestUSFilmsPrefix(t *testing.T) {
	ix := usFilmsIndex(t)
	got := ix.Prefix("Treasure Isl", 20)
	if len(got) < 9 {
		t.Fatalf("Prefix = %v", titles(got))
	}
	if !slices.Equal(years(got[:9]), []int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}) {
		t.Errorf("first nine = %v %v", titles(got[:9]), years(got[:9]))
	}
	for _, e := range got {
		if key := Normalize(e.Title); len(key) < len("treasure isl") || key[:len("treasure isl")] != "treasure isl" {
			t.Errorf("Prefix(Treasure Isl) returned %q", e.Title)
		}
	}
	if got := ix.Prefix("the three muske", 3); len(got) != 3 || got[0].Title != "The Three Musketeers" {
		t.Errorf("Prefix(the three muske) = %v", titles(got))
	}
}

// recordTB notes what requireData did instead of stopping the test.
type recordTB struct {
	testing.TB
	skipped, failed bool
}

func (r *recordTB) Helper()               {}
func (r *recordTB) Skipf(string, ...any)  { r.skipped = true }
func (r *recordTB) Fatalf(string, ...any) { r.failed = true }

func TestRequireData(t *testing.T) {
	_, missing := readUSFilms(filepath.Join(t.TempDir(), "absent.jsonl"))
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\"title\": \"X\", \"year\": 2000}\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, corrupt := readUSFilms(bad)
	if corrupt == nil || !strings.Contains(corrupt.Error(), ":2:") {
		t.Errorf("corrupt list error %v does not name line 2", corrupt)
	}
	tests := []struct {
		name          string
		err           error
		ci            bool
		skip, failure bool
	}{
		{"present", nil, false, false, false},
		{"present in CI", nil, true, false, false},
		{"missing outside CI skips", missing, false, true, false},
		{"missing in CI fails", missing, true, false, true},
		{"corrupt fails", corrupt, false, false, true},
	}
	for _, tt := range tests {
		r := &recordTB{TB: t}
		requireData(r, tt.err, tt.ci)
		if r.skipped != tt.skip || r.failed != tt.failure {
			t.Errorf("%s: skipped %v failed %v, want %v %v", tt.name, r.skipped, r.failed, tt.skip, tt.failure)
		}
	}
}
