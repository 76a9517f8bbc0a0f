package search

import (
	"cmp"
	"slices"
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
//
// Keys (distinct normalised titles and aliases) are numbered in order of
// length, then text, so every posting list is sorted by key length too and
// the keys within typo reach of a query are one contiguous range of it.
type Index struct {
	entries  []Entry
	keys     []string         // distinct normalised titles and aliases, by (length, text)
	keyHits  [][]int32        // keyHits[k]: entries whose title or alias is keys[k], by year
	exact    map[string]int32 // key -> k
	byLen    []int32          // byLen[n]: first key of length >= n; len(byLen) = longest+2
	dense    []int32          // trigram of [ a-z0-9] -> g, or -1
	sparse   map[uint32]int32 // other trigram -> g
	postings []int32          // postings[postAt[g]:postAt[g+1]]: keys holding trigram g, ascending
	postAt   []int32          // len = trigrams+1
	byText   []int32          // keys ordered by text, for prefix lookups
	counters sync.Pool        // *scratch, to keep fuzzy search allocation-free
}

type scratch struct {
	counts  []uint16 // per key: query trigrams it holds
	touched []int32  // keys with counts > 0
	raw     []uint32 // the query's distinct trigrams
	grams   []int32  // the ids of those some key holds
}

// Build indexes entries. Entries keep their order; ties in results are by year.
func Build(entries []Entry) *Index {
	ix := &Index{entries: entries}

	// Distinct keys, and (key, entry) pairs in entry order.
	type pair struct{ k, e int32 }
	ids := make(map[string]int32, len(entries))
	keys := make([]string, 0, len(entries))
	pairs := make([]pair, 0, len(entries))
	add := func(title string, e int32) {
		key := Normalize(title)
		if key == "" {
			return
		}
		k, ok := ids[key]
		if !ok {
			k = int32(len(keys))
			ids[key] = k
			keys = append(keys, key)
		}
		pairs = append(pairs, pair{k, e})
	}
	for i := range entries {
		add(entries[i].Title, int32(i))
		for _, a := range entries[i].AKA {
			add(a, int32(i))
		}
	}

	// Renumber keys by (length, text): one sort by text, then a stable
	// counting sort by length, which also gives the text order for Prefix.
	byText := make([]int32, len(keys))
	longest := 0
	for i := range byText {
		byText[i] = int32(i)
		longest = max(longest, len(keys[i]))
	}
	slices.SortFunc(byText, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	ix.byLen = make([]int32, longest+2)
	for _, key := range keys {
		ix.byLen[len(key)+1]++
	}
	for l := 1; l < len(ix.byLen); l++ {
		ix.byLen[l] += ix.byLen[l-1]
	}
	next := slices.Clone(ix.byLen)
	newID := make([]int32, len(keys))
	ix.keys = make([]string, len(keys))
	for _, old := range byText {
		l := len(keys[old])
		newID[old] = next[l]
		ix.keys[next[l]] = keys[old]
		next[l]++
	}
	for i, old := range byText {
		byText[i] = newID[old]
	}
	ix.byText = byText
	for key, old := range ids {
		ids[key] = newID[old]
	}
	ix.exact = ids

	// Entries per key, flattened, each key's by year.
	at := make([]int32, len(keys)+1)
	for _, p := range pairs {
		at[newID[p.k]+1]++
	}
	for k := 1; k < len(at); k++ {
		at[k] += at[k-1]
	}
	flat := make([]int32, len(pairs))
	fill := slices.Clone(at[:len(keys)])
	for _, p := range pairs {
		k := newID[p.k]
		flat[fill[k]] = p.e
		fill[k]++
	}
	ix.keyHits = make([][]int32, len(keys))
	for k := range ix.keyHits {
		h := flat[at[k]:at[k+1]:at[k+1]]
		slices.SortStableFunc(h, func(a, b int32) int { return cmp.Compare(entries[a].Year, entries[b].Year) })
		// An entry reached through its title and an alias, or two
		// aliases, is listed once: its pairs are adjacent.
		ix.keyHits[k] = slices.Compact(h)
	}

	// Trigram posting lists, flattened.
	total := 0
	for _, key := range ix.keys {
		total += len(key)
	}
	keyGrams := make([]int32, 0, total) // the trigram ids of each key, in key order
	ix.dense = make([]int32, denseGrams)
	for i := range ix.dense {
		ix.dense[i] = -1
	}
	ix.sparse = make(map[uint32]int32)
	var counts []int32
	for _, key := range ix.keys {
		forGrams(key, func(g uint32) {
			id := ix.gramAdd(g, int32(len(counts)))
			if int(id) == len(counts) {
				counts = append(counts, 0)
			}
			keyGrams = append(keyGrams, id)
			counts[id]++
		})
	}
	ix.postAt = make([]int32, len(counts)+1)
	for g, c := range counts {
		ix.postAt[g+1] = ix.postAt[g] + c
	}
	fill = slices.Clone(ix.postAt[:len(counts)])
	ix.postings = make([]int32, total)
	n := 0
	for k, key := range ix.keys {
		for _, g := range keyGrams[n : n+len(key)] {
			// A trigram repeated within one key is listed once.
			if f := fill[g]; f == ix.postAt[g] || ix.postings[f-1] != int32(k) {
				ix.postings[f] = int32(k)
				fill[g]++
			}
		}
		n += len(key)
	}
	// Close the gaps left by repeated trigrams so postAt bounds each list.
	w := int32(0)
	for g := range counts {
		start := w
		w += int32(copy(ix.postings[w:], ix.postings[ix.postAt[g]:fill[g]]))
		ix.postAt[g] = start
	}
	ix.postAt[len(counts)] = w
	ix.postings = slices.Clip(ix.postings[:w])

	ix.counters.New = func() any { return &scratch{counts: make([]uint16, len(ix.keys))} }
	return ix
}

// Trigrams of the 37 symbols keys are mostly made of (space, a-z, 0-9) are
// numbered through a dense table; the rest (accented letters of other
// scripts) through a map.
const (
	symbols    = 37
	denseGrams = symbols * symbols * symbols
)

var symbol = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	t[' '] = 0
	for c := 'a'; c <= 'z'; c++ {
		t[c] = int8(c-'a') + 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c-'0') + 27
	}
	return t
}()

// dense returns the dense-table slot of trigram g, or -1.
func denseSlot(g uint32) int {
	a, b, c := symbol[g>>16&0xff], symbol[g>>8&0xff], symbol[g&0xff]
	if a < 0 || b < 0 || c < 0 {
		return -1
	}
	return (int(a)*symbols+int(b))*symbols + int(c)
}

// gramID returns the id of trigram g, if some key holds it.
func (ix *Index) gramID(g uint32) (int32, bool) {
	if slot := denseSlot(g); slot >= 0 {
		id := ix.dense[slot]
		return id, id >= 0
	}
	id, ok := ix.sparse[g]
	return id, ok
}

// gramAdd returns the id of trigram g, giving it id when it has none.
func (ix *Index) gramAdd(g uint32, id int32) int32 {
	if slot := denseSlot(g); slot >= 0 {
		if ix.dense[slot] < 0 {
			ix.dense[slot] = id
		}
		return ix.dense[slot]
	}
	if old, ok := ix.sparse[g]; ok {
		return old
	}
	ix.sparse[g] = id
	return id
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// forGrams calls fn for every byte trigram of " key " (padded so that the
// first and last letters weigh as much as the middle ones): len(key) of them.
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

// maxTypos is how many edits a title of this length may contain: none for
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

// maxFuzzyKey bounds the queries matched for typos: titles are far shorter,
// and the bound keeps the per-key trigram counts within uint16.
const maxFuzzyKey = 512

// Search finds query, restricted to year when year > 0. Exact matches
// (after normalisation) win over typo matches; all hits at the best level
// are returned so that same-name titles are never silently merged. When the
// title exists but not in that year, there are no hits and the suggestions
// list the years it does exist in.
func (ix *Index) Search(query string, year int) Result {
	return ix.SearchKey(Normalize(query), year)
}

// SearchKey is Search for a key already normalised with Normalize. Callers
// that key a cache by the normalised title use it, because Normalize is not
// idempotent ("The A Team" → "a team" → "team") and must run exactly once.
func (ix *Index) SearchKey(key string, year int) Result {
	if key == "" {
		return Result{}
	}
	if k, ok := ix.exact[key]; ok {
		if year == 0 {
			return Result{Kind: Exact, Hits: ix.list(ix.keyHits[k])}
		}
		if hits := ix.filter(nil, ix.keyHits[k], year); len(hits) > 0 {
			return Result{Kind: Exact, Hits: ix.list(hits)}
		}
		// The title exists, but not in that year: offer the years it does exist in.
		return Result{Suggestions: ix.list(ix.keyHits[k])}
	}
	if len(key) > maxFuzzyKey {
		return Result{}
	}
	return ix.fuzzy(key, year)
}

// filter appends to out the entries of hits from year (any year when 0),
// skipping entries already in out (one entry can be reached through its
// title and an alias).
func (ix *Index) filter(out []int32, hits []int32, year int) []int32 {
	n := len(out)
	for _, e := range hits {
		if (year == 0 || ix.entries[e].Year == year) && !slices.Contains(out[:n], e) {
			out = append(out, e)
		}
	}
	return out
}

// list returns the entries behind entry numbers.
func (ix *Index) list(es []int32) []Entry {
	if len(es) == 0 {
		return nil
	}
	out := make([]Entry, len(es))
	for i, e := range es {
		out[i] = ix.entries[e]
	}
	return out
}

const suggestions = 5

// minSuggestScore is the least trigram similarity (Dice) worth offering as
// "did you mean": below it a suggestion shares a letter pair or two by chance
// ("Frozen" and "Fixture Meadow Friends") and only misleads.
const minSuggestScore = 0.3

// posting returns the keys holding trigram g whose ids are in [lo, hi).
func (ix *Index) posting(g int32, lo, hi int32) []int32 {
	p := ix.postings[ix.postAt[g]:ix.postAt[g+1]]
	if lo > 0 {
		i, _ := slices.BinarySearch(p, lo)
		p = p[i:]
	}
	if hi < int32(len(ix.keys)) {
		i, _ := slices.BinarySearch(p, hi)
		p = p[:i]
	}
	return p
}

func (ix *Index) fuzzy(key string, year int) Result {
	s := ix.counters.Get().(*scratch)
	defer ix.counters.Put(s)

	// The query's distinct trigrams; ones no title has still count in total.
	s.raw = s.raw[:0]
	forGrams(key, func(g uint32) { s.raw = append(s.raw, g) })
	slices.Sort(s.raw)
	s.raw = slices.Compact(s.raw)
	total := len(s.raw)
	s.grams = s.grams[:0]
	for _, g := range s.raw {
		if id, ok := ix.gramID(g); ok {
			s.grams = append(s.grams, id)
		}
	}

	typos := maxTypos(len(key))
	var hits []int32
	if typos > 0 {
		hits = ix.typoHits(s, key, total, typos)
	}
	if len(hits) > 0 {
		var out []int32
		for _, k := range hits {
			out = ix.filter(out, ix.keyHits[k], year)
		}
		if len(out) > 0 {
			return Result{Kind: Fuzzy, Hits: ix.sorted(out)}
		}
		// The title exists, but not in that year: offer the years it does exist in.
		for _, k := range hits {
			out = ix.filter(out, ix.keyHits[k], 0)
		}
		return Result{Suggestions: ix.sorted(out)}
	}
	return Result{Suggestions: ix.closest(s, total)}
}

// typoHits returns the keys at the smallest edit distance from key, within
// the typos that both the query and the key's length allow.
func (ix *Index) typoHits(s *scratch, key string, total, typos int) []int32 {
	// Only keys of length len(key)±typos can be in reach, and keys of three
	// bytes or fewer never match a typo: one contiguous range of key ids.
	lo := ix.byLen[min(max(len(key)-typos, 4), len(ix.byLen)-1)]
	hi := ix.byLen[min(len(key)+typos+1, len(ix.byLen)-1)]
	if lo >= hi {
		return nil
	}
	for _, g := range s.grams {
		for _, k := range ix.posting(g, lo, hi) {
			if s.counts[k] == 0 {
				s.touched = append(s.touched, k)
			}
			s.counts[k]++
		}
	}
	// Look for one typo first, then for two: a query rarely has two, and the
	// one-typo pass filters much harder.
	var hits []int32
	for d := 1; d <= typos && len(hits) == 0; d++ {
		// Count filter: an edit destroys at most three of the query's
		// trigrams, a swap of neighbours four.
		need := max(total-4*d, 1)
		for _, k := range s.touched {
			cand := ix.keys[k]
			if int(s.counts[k]) < need || abs(len(cand)-len(key)) > d || maxTypos(len(cand)) < d {
				continue
			}
			if distance(key, cand, d+1) == d {
				hits = append(hits, k)
			}
		}
		if d == 1 && len(key) == 4 {
			// The one typo the count filter cannot see: swapping the middle
			// letters of a four-letter title changes all four trigrams
			// ("jwas" shares none with "jaws"). Look the swap up directly.
			swapped := [4]byte{key[0], key[2], key[1], key[3]}
			if k, ok := ix.exact[string(swapped[:])]; ok && !slices.Contains(hits, k) {
				hits = append(hits, k)
			}
		}
	}
	for _, k := range s.touched {
		s.counts[k] = 0
	}
	s.touched = s.touched[:0]
	return hits
}

// closest ranks every key sharing a trigram with the query by the Dice
// coefficient on trigrams and returns the entries of the best few.
func (ix *Index) closest(s *scratch, total int) []Entry {
	for _, g := range s.grams {
		for _, k := range ix.postings[ix.postAt[g]:ix.postAt[g+1]] {
			if s.counts[k] == 0 {
				s.touched = append(s.touched, k)
			}
			s.counts[k]++
		}
	}
	type scored struct {
		k     int32
		score float64
	}
	var top [suggestions]scored
	n := 0
	for _, k := range s.touched {
		c := s.counts[k]
		s.counts[k] = 0
		score := 2 * float64(c) / float64(total+len(ix.keys[k]))
		if score < minSuggestScore {
			continue
		}
		if n == len(top) && !better(score, ix.keys[k], top[n-1].score, ix.keys[top[n-1].k]) {
			continue
		}
		i := n
		if n < len(top) {
			n++
		} else {
			i = n - 1
		}
		for i > 0 && better(score, ix.keys[k], top[i-1].score, ix.keys[top[i-1].k]) {
			top[i] = top[i-1]
			i--
		}
		top[i] = scored{k, score}
	}
	s.touched = s.touched[:0]
	var sugg []int32
	for _, t := range top[:n] {
		sugg = ix.filter(sugg, ix.keyHits[t.k], 0)
		if len(sugg) >= suggestions {
			sugg = sugg[:suggestions]
			break
		}
	}
	return ix.list(sugg)
}

// better orders suggestions: higher score first, then alphabetically.
func better(score float64, key string, than float64, thanKey string) bool {
	return score > than || score == than && key < thanKey
}

// sorted returns the entries behind es by title, then year, then entry order.
func (ix *Index) sorted(es []int32) []Entry {
	out := ix.list(es)
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := strings.Compare(a.Title, b.Title); c != 0 {
			return c
		}
		return cmp.Compare(a.Year, b.Year)
	})
	return out
}

// Prefix returns up to limit entries whose title or alias starts with the
// normalised prefix, for autocomplete. An empty prefix lists the first titles.
func (ix *Index) Prefix(prefix string, limit int) []Entry {
	p := Normalize(prefix)
	start, _ := slices.BinarySearchFunc(ix.byText, p, func(k int32, p string) int { return strings.Compare(ix.keys[k], p) })
	var out []int32
	for _, k := range ix.byText[start:] {
		if !strings.HasPrefix(ix.keys[k], p) || len(out) >= limit {
			break
		}
		out = ix.filter(out, ix.keyHits[k], 0)
	}
	return ix.list(out[:min(len(out), max(limit, 0))])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the optimal-string-alignment edit distance (a swap of two
// neighbours counts as one typo). It returns limit as soon as the distance
// must be limit or more, so a result of limit means "limit or more". Only
// the band of cells within limit of the diagonal is computed: O(len·limit).
func distance(a, b string, limit int) int {
	if a == b {
		return 0
	}
	la, lb := len(a), len(b)
	if abs(la-lb) >= limit {
		return limit
	}
	const stack = 96
	var buf [3 * stack]int
	var prev2, prev, cur []int
	if lb+1 <= stack {
		prev2, prev, cur = buf[0:lb+1], buf[stack:stack+lb+1], buf[2*stack:2*stack+lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := range prev {
		prev[j] = min(j, limit)
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-limit), min(lb, i+limit)
		// Cells just outside the band read as "limit or more".
		cur[lo-1] = min(i, limit)
		if lo > 1 {
			cur[lo-1] = limit
		}
		if hi < lb {
			cur[hi+1] = limit
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
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
