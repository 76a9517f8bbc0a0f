package search

import (
	"slices"
	"testing"
)

// keysOf lists the search keys of an entry: its title and aliases.
func keysOf(e Entry) []string {
	keys := []string{Normalize(e.Title)}
	for _, a := range e.AKA {
		keys = append(keys, Normalize(a))
	}
	return keys
}

// FuzzSearch checks the contract of every result: hits or suggestions, never
// both; exact hits share the query's key; typo hits are within the allowed
// edits; a year restricts the hits; nothing is listed twice.
func FuzzSearch(f *testing.F) {
	for _, e := range small {
		f.Add(e.Title, 0)
		f.Add(e.Title, e.Year)
	}
	for _, q := range []string{"balerina", "Tresure Islnd", "Upp", "", "King Lion", "\xff", "ballerina ballerina ballerina"} {
		f.Add(q, 2016)
	}
	ix := Build(small)
	f.Fuzz(func(t *testing.T, q string, year int) {
		r := ix.Search(q, year)
		key := Normalize(q)
		switch r.Kind {
		case None:
			if len(r.Hits) > 0 {
				t.Fatalf("Search(%q, %d): kind none with hits %v", q, year, ids(r.Hits))
			}
		case Exact, Fuzzy:
			if len(r.Hits) == 0 || len(r.Suggestions) > 0 {
				t.Fatalf("Search(%q, %d): %v with %d hits, %d suggestions", q, year, r.Kind, len(r.Hits), len(r.Suggestions))
			}
		default:
			t.Fatalf("Search(%q, %d): kind %d", q, year, r.Kind)
		}
		for _, h := range r.Hits {
			if year > 0 && h.Year != year {
				t.Fatalf("Search(%q, %d) hit %s of %d", q, year, h.ID, h.Year)
			}
			keys := keysOf(h)
			if r.Kind == Exact && !slices.Contains(keys, key) {
				t.Fatalf("Search(%q) exact hit %s has keys %q", q, h.ID, keys)
			}
			if r.Kind == Fuzzy && !slices.ContainsFunc(keys, func(k string) bool {
				allowed := maxTypos(min(len(k), len(key)))
				return allowed > 0 && distance(key, k, allowed+1) <= allowed
			}) {
				t.Fatalf("Search(%q) typo hit %s (keys %q) is out of reach", q, h.ID, keys)
			}
		}
		if !distinctIDs(r.Hits) || !distinctIDs(r.Suggestions) {
			t.Fatalf("Search(%q, %d) lists an entry twice: %v %v", q, year, ids(r.Hits), ids(r.Suggestions))
		}
		for _, e := range ix.Prefix(q, 3) {
			if !slices.ContainsFunc(keysOf(e), func(k string) bool { return len(k) >= len(key) && k[:len(key)] == key }) {
				t.Fatalf("Prefix(%q) returned %s", q, e.ID)
			}
		}
	})
}

// osa is the textbook optimal-string-alignment distance, the reference for
// the banded, early-exit distance.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func FuzzDistance(f *testing.F) {
	f.Add("ballerina", "balelrina", 3)
	f.Add("kitten", "sitting", 2)
	f.Add("ca", "abc", 4)
	f.Add("", "abc", 1)
	f.Add("abcdefghij", "badcfehgji", 6)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if len(a) > 200 || len(b) > 200 || limit < 1 || limit > 8 {
			return
		}
		want := min(osa(a, b), limit)
		if got := distance(a, b, limit); got != want {
			t.Fatalf("distance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
	})
}
