package search

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// Entry is one searchable title.
type Entry struct {
	ID    string
	Title string
	Year  int
	AKA   []string
}

// MatchKind says how a search matched.
type MatchKind int

// How a query matched: exactly (after normalisation, title or alias),
// within a few typos, or not at all.
const (
	None MatchKind = iota
	Exact
	Fuzzy
)

func (k MatchKind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Fuzzy:
		return "fuzzy"
	}
	return "none"
}

// Result lists the equally good hits (several when titles share a name),
// or, when nothing matched, the closest titles as suggestions.
type Result struct {
	Kind        MatchKind
	Hits        []Entry
	Suggestions []Entry
}

// Index answers title queries over a fixed list of entries. It is immutable
// after Build and safe for concurrent use.
type Index struct {
	entries  []Entry
	keys     []string           // distinct normalised titles and aliases
	keyHits  [][]int32          // keyHits[k]: entries whose title or alias is keys[k]
	exact    map[string]int32   // key -> k
	grams    map[uint32][]int32 // trigram -> keys containing it (ascending, unique)
	sorted   []int32            // keys ordered by string, for prefix lookups
	counters sync.Pool          // *scratch, to keep fuzzy search allocation-free
}

type scratch struct {
	counts  []uint16
	touched []int32
}

// Build indexes entries. Entries keep their order; ties in results are by year.
func Build(entries []Entry) *Index {
	ix := &Index{
		entries: entries,
		exact:   make(map[string]int32, len(entries)),
		grams:   make(map[uint32][]int32, len(entries)*2),
	}
	add := func(title string, e int32) {
		key := Normalize(title)
		if key == "" {
			return
		}
		k, ok := ix.exact[key]
		if !ok {
			k = int32(len(ix.keys))
			ix.exact[key] = k
			ix.keys = append(ix.keys, key)
			ix.keyHits = append(ix.keyHits, nil)
			forGrams(key, func(g uint32) {
				p := ix.grams[g]
				if len(p) == 0 || p[len(p)-1] != k {
					ix.grams[g] = append(p, k)
				}
			})
		}
		if !slices.Contains(ix.keyHits[k], e) {
			ix.keyHits[k] = append(ix.keyHits[k], e)
		}
	}
	for i := range entries {
		add(entries[i].Title, int32(i))
		for _, a := range entries[i].AKA {
			add(a, int32(i))
		}
	}
	for k := range ix.keyHits {
		hits := ix.keyHits[k]
		sort.SliceStable(hits, func(a, b int) bool { return entries[hits[a]].Year < entries[hits[b]].Year })
	}
	ix.sorted = make([]int32, len(ix.keys))
	for i := range ix.sorted {
		ix.sorted[i] = int32(i)
	}
	sort.Slice(ix.sorted, func(a, b int) bool { return ix.keys[ix.sorted[a]] < ix.keys[ix.sorted[b]] })
	ix.counters.New = func() any { return &scratch{counts: make([]uint16, len(ix.keys))} }
	return ix
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// forGrams calls fn for every byte trigram of " key " (padded so that the
// first and last letters weigh as much as the middle ones).
func forGrams(key string, fn func(uint32)) {
	n := len(key) + 2
	at := func(i int) uint32 {
		if i == 0 || i == n-1 {
			return ' '
		}
		return uint32(key[i-1])
	}
	for i := 0; i+3 <= n; i++ {
		fn(at(i)<<16 | at(i+1)<<8 | at(i+2))
	}
}

// maxTypos is how many edits a query of this length may contain: none for
// very short titles ("Up", "It"), where one edit reaches dozens of other titles.
func maxTypos(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 7:
		return 1
	}
	return 2
}

// Search finds query, restricted to year when year > 0. Exact matches
// (after normalisation) win over typo matches; all hits at the best level
// are returned so that same-name titles are never silently merged.
func (ix *Index) Search(query string, year int) Result {
	key := Normalize(query)
	if key == "" {
		return Result{}
	}
	if k, ok := ix.exact[key]; ok {
		if hits := ix.filter(ix.keyHits[k], year); len(hits) > 0 {
			return Result{Kind: Exact, Hits: hits}
		}
		if year > 0 {
			// The title exists, but not in that year: offer the years it does exist in.
			return Result{Suggestions: ix.filter(ix.keyHits[k], 0)}
		}
	}
	return ix.fuzzy(key, year)
}

func (ix *Index) filter(hits []int32, year int) []Entry {
	out := make([]Entry, 0, len(hits))
	for _, e := range hits {
		if year == 0 || ix.entries[e].Year == year {
			out = append(out, ix.entries[e])
		}
	}
	return out
}

const suggestions = 5

func (ix *Index) fuzzy(key string, year int) Result {
	s := ix.counters.Get().(*scratch)
	defer ix.counters.Put(s)
	total := 0
	forGrams(key, func(g uint32) {
		total++
		for _, k := range ix.grams[g] {
			if s.counts[k] == 0 {
				s.touched = append(s.touched, k)
			}
			s.counts[k]++
		}
	})
	typos := maxTypos(len(key))
	// Each edit destroys at most three trigrams (the q-gram count filter).
	need := max(total-3*typos, 1)
	best := typos + 1
	var hits []int32
	type scored struct {
		k     int32
		score float64
	}
	var top [suggestions]scored
	for _, k := range s.touched {
		c := int(s.counts[k])
		s.counts[k] = 0
		cand := ix.keys[k]
		if typos > 0 && c >= need && abs(len(cand)-len(key)) <= typos {
			if d := distance(key, cand, best); d < best {
				best, hits = d, append(hits[:0], k)
			} else if d == best {
				hits = append(hits, k)
			}
		}
		// Dice coefficient on trigrams ranks suggestions.
		score := 2 * float64(c) / float64(total+len(cand))
		for i := range top {
			if score > top[i].score || top[i].score == score && top[i].score > 0 && cand < ix.keys[top[i].k] {
				copy(top[i+1:], top[i:len(top)-1])
				top[i] = scored{k, score}
				break
			}
		}
	}
	s.touched = s.touched[:0]
	if len(hits) > 0 {
		var out []Entry
		for _, k := range hits {
			out = append(out, ix.filter(ix.keyHits[k], year)...)
		}
		if len(out) > 0 {
			sortEntries(out)
			return Result{Kind: Fuzzy, Hits: out}
		}
	}
	var sugg []Entry
	for _, t := range top {
		if t.score > 0 {
			sugg = append(sugg, ix.filter(ix.keyHits[t.k], 0)...)
		}
	}
	if len(sugg) > suggestions {
		sugg = sugg[:suggestions]
	}
	return Result{Suggestions: sugg}
}

func sortEntries(es []Entry) {
	sort.SliceStable(es, func(a, b int) bool {
		if es[a].Title != es[b].Title {
			return es[a].Title < es[b].Title
		}
		return es[a].Year < es[b].Year
	})
}

// Prefix returns up to limit entries whose title or alias starts with the
// normalised prefix, for autocomplete. An empty prefix lists the first titles.
func (ix *Index) Prefix(prefix string, limit int) []Entry {
	p := Normalize(prefix)
	start := sort.Search(len(ix.sorted), func(i int) bool { return ix.keys[ix.sorted[i]] >= p })
	var out []Entry
	seen := map[int32]bool{}
	for _, k := range ix.sorted[start:] {
		if !strings.HasPrefix(ix.keys[k], p) || len(out) >= limit {
			break
		}
		for _, e := range ix.keyHits[k] {
			if !seen[e] && len(out) < limit {
				seen[e] = true
				out = append(out, ix.entries[e])
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the optimal-string-alignment edit distance (a swap of two
// neighbours counts as one typo), giving up with limit once it must exceed it.
func distance(a, b string, limit int) int {
	if a == b {
		return 0
	}
	la, lb := len(a), len(b)
	if abs(la-lb) >= limit {
		return limit
	}
	var buf [3 * 64]int
	var prev2, prev, cur []int
	if lb+1 <= 64 {
		prev2, prev, cur = buf[0:lb+1], buf[64:64+lb+1], buf[128:128+lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[lb], limit)
}
