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
