package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// small is a hand-made list covering same-name titles, aliases, articles,
// accents and very short titles.
var small = []Entry{
	{ID: "ballerina-2023", Title: "Ballerina", Year: 2023},
	{ID: "ballerina-2016", Title: "Ballerina", Year: 2016, AKA: []string{"Leap!"}},
	{ID: "lion-king-2019", Title: "The Lion King", Year: 2019},
	{ID: "lion-king-1994", Title: "The Lion King", Year: 1994},
	{ID: "quiet-place", Title: "A Quiet Place", Year: 2018},
	{ID: "amelie", Title: "Amélie", Year: 2001, AKA: []string{"Le Fabuleux Destin d'Amélie Poulain"}},
	{ID: "up", Title: "Up", Year: 2009},
	{ID: "it-1927", Title: "It", Year: 1927},
	{ID: "it-2017", Title: "It", Year: 2017},
	{ID: "elf", Title: "Elf", Year: 2003},
	{ID: "easy-a", Title: "Easy A", Year: 2010},
	{ID: "easy", Title: "Easy", Year: 2017},
	{ID: "grey-gardens", Title: "Grey Gardens", Year: 2009, AKA: []string{"Gray Gardens"}},
	{ID: "treasure-1950", Title: "Treasure Island", Year: 1950},
	{ID: "treasure-1934", Title: "Treasure Island", Year: 1934},
	{ID: "treasure-planet", Title: "Treasure Planet", Year: 2002},
	{ID: "tom-jerry", Title: "Tom & Jerry", Year: 2021},
	{ID: "schindler", Title: "Schindler's List", Year: 1993},
	{ID: "toy-story", Title: "Toy Story", Year: 1995},
	{ID: "toy-story-2", Title: "Toy Story 2", Year: 1999},
	{ID: "frozen", Title: "Frozen", Year: 2013},
	{ID: "jaws", Title: "Jaws", Year: 1975},
}

func ids(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := Build(small)
	tests := []struct {
		name  string
		query string
		year  int
		kind  MatchKind
		hits  []string // in order
		sugg  []string // in order; nil means "none expected" only when kind != None
	}{
		// Exact, after normalisation.
		{"exact", "Frozen", 0, Exact, []string{"frozen"}, nil},
		{"exact any case and punctuation", "frozen!!", 0, Exact, []string{"frozen"}, nil},
		{"leading article dropped", "Lion King", 0, Exact, []string{"lion-king-1994", "lion-king-2019"}, nil},
		{"trailing article form", "Lion King, The", 0, Exact, []string{"lion-king-1994", "lion-king-2019"}, nil},
		{"article on the query only", "The Frozen", 0, Exact, []string{"frozen"}, nil},
		{"leading A", "quiet place", 0, Exact, []string{"quiet-place"}, nil},
		{"accent folded", "amelie", 0, Exact, []string{"amelie"}, nil},
		{"ampersand", "Tom and Jerry", 0, Exact, []string{"tom-jerry"}, nil},
		{"apostrophe", "Schindlers List", 0, Exact, []string{"schindler"}, nil},
		{"Easy A is not Easy", "Easy A", 0, Exact, []string{"easy-a"}, nil},
		{"Easy is not Easy A", "Easy", 0, Exact, []string{"easy"}, nil},
		// Aliases.
		{"alias", "Leap!", 0, Exact, []string{"ballerina-2016"}, nil},
		{"alias without punctuation", "leap", 0, Exact, []string{"ballerina-2016"}, nil},
		{"original-title alias", "Le fabuleux destin d'Amelie Poulain", 0, Exact, []string{"amelie"}, nil},
		// Same-name titles: all of them, by year, never merged.
		{"same name sorted by year", "Ballerina", 0, Exact, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"year picks one", "Ballerina", 2023, Exact, []string{"ballerina-2023"}, nil},
		{"year picks the other", "Ballerina", 2016, Exact, []string{"ballerina-2016"}, nil},
		{"alias with its year", "Leap", 2016, Exact, []string{"ballerina-2016"}, nil},
		// A year the title does not exist in: no hits, the real years suggested.
		{"missing year", "Ballerina", 2020, None, nil, []string{"ballerina-2016", "ballerina-2023"}},
		{"missing year of an alias", "Leap", 2023, None, nil, []string{"ballerina-2016"}},
		{"missing year after a typo", "Balerina", 2020, None, nil, []string{"ballerina-2016", "ballerina-2023"}},
		// Typos.
		{"missing letter", "balerina", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"extra letter", "ballerrina", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"wrong letter", "bellerina", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"transposition", "balelrina", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"transposition at the start", "abllerina", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"transposition at the end", "ballerian", 0, Fuzzy, []string{"ballerina-2016", "ballerina-2023"}, nil},
		{"two typos in a long title", "Tresure Islnd", 0, Fuzzy, []string{"treasure-1934", "treasure-1950"}, nil},
		{"typo with year", "Tresure Island", 1950, Fuzzy, []string{"treasure-1950"}, nil},
		{"typo with year, same-name set", "balerina", 2023, Fuzzy, []string{"ballerina-2023"}, nil},
		{"typo in an alias", "Gray Gardns", 0, Fuzzy, []string{"grey-gardens"}, nil},
		{"entry reached by title and alias listed once", "Grxy Gardens", 0, Fuzzy, []string{"grey-gardens"}, nil},
		{"typo in a short title", "Frozn", 0, Fuzzy, []string{"frozen"}, nil},
		{"middle swap in a four-letter title", "Jwas", 0, Fuzzy, []string{"jaws"}, nil},
		{"first swap in a four-letter title", "aJws", 0, Fuzzy, []string{"jaws"}, nil},
		{"last swap in a four-letter title", "Jasw", 0, Fuzzy, []string{"jaws"}, nil},
		{"closest wins over farther", "Toy Story 3", 0, Fuzzy, []string{"toy-story-2"}, nil},
		// Very short titles: exact only.
		{"Up exact", "Up", 0, Exact, []string{"up"}, nil},
		{"Up with punctuation", "Up!", 0, Exact, []string{"up"}, nil},
		{"It same name", "It", 0, Exact, []string{"it-1927", "it-2017"}, nil},
		{"Upp is not Up", "Upp", 0, None, nil, nil},
		{"Ip is not Up or It", "Ip", 0, None, nil, nil},
		{"Itt is not It", "Itt", 0, None, nil, nil},
		{"Elfs is not a typo of the short Elf", "Elfs", 0, None, nil, nil},
		// Not found.
		{"empty", "", 0, None, nil, nil},
		{"punctuation only", "?!", 0, None, nil, nil},
		{"no shared letters", "zzzz qqqq", 0, None, nil, []string{}},
		// Same trigrams in another order is not a typo.
		{"words swapped", "King Lion", 0, None, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(tt.query, tt.year)
			if r.Kind != tt.kind {
				t.Fatalf("Search(%q, %d).Kind = %v, want %v (hits %v, suggestions %v)", tt.query, tt.year, r.Kind, tt.kind, ids(r.Hits), ids(r.Suggestions))
			}
			if got := ids(r.Hits); !slices.Equal(got, tt.hits) && !(len(got) == 0 && len(tt.hits) == 0) {
				t.Errorf("Search(%q, %d) hits = %v, want %v", tt.query, tt.year, got, tt.hits)
			}
			if tt.kind != None && len(r.Suggestions) > 0 {
				t.Errorf("Search(%q, %d) has hits and suggestions %v", tt.query, tt.year, ids(r.Suggestions))
			}
			if tt.sugg != nil {
				if got := ids(r.Suggestions); !slices.Equal(got, tt.sugg) && !(len(got) == 0 && len(tt.sugg) == 0) {
					t.Errorf("Search(%q, %d) suggestions = %v, want %v", tt.query, tt.year, got, tt.sugg)
				}
			}
		})
	}
}

// TestSearchNotFoundSuggestsClosest checks suggestions for queries beyond typo reach.
func TestSearchNotFoundSuggestsClosest(t *testing.T) {
	ix := Build(small)
	tests := []struct {
		query string
		first string // the best suggestion
	}{
		{"King Lion", "lion-king-1994"},
		{"The Lion Queen", "lion-king-1994"},
		{"Treasure Islands of Doom", "treasure-1934"},
		{"Frozen Two Sequel", "frozen"},
		{"Toy Stories", "toy-story"},
	}
	for _, tt := range tests {
		r := ix.Search(tt.query, 0)
		if r.Kind != None || len(r.Hits) > 0 {
			t.Errorf("Search(%q) = %v %v, want no hits", tt.query, r.Kind, ids(r.Hits))
			continue
		}
		if len(r.Suggestions) == 0 || r.Suggestions[0].ID != tt.first {
			t.Errorf("Search(%q) suggestions = %v, want %s first", tt.query, ids(r.Suggestions), tt.first)
		}
		if len(r.Suggestions) > suggestions {
			t.Errorf("Search(%q) gave %d suggestions, want at most %d", tt.query, len(r.Suggestions), suggestions)
		}
		seen := map[string]bool{}
		for _, s := range r.Suggestions {
			if seen[s.ID] {
				t.Errorf("Search(%q) suggests %s twice", tt.query, s.ID)
			}
			seen[s.ID] = true
		}
	}
}

// TestSearchNoChanceSuggestions: a title sharing only a letter pair or two
// with the query is no suggestion at all.
func TestSearchNoChanceSuggestions(t *testing.T) {
	ix := Build([]Entry{{ID: "meadow", Title: "Fixture Meadow Friends", Year: 2020}, {ID: "storm", Title: "Fixture Storm Harbor", Year: 2019}})
	for _, q := range []string{"Frozen", "Up", "Zebra Crossing"} {
		if r := ix.Search(q, 0); len(r.Hits)+len(r.Suggestions) > 0 {
			t.Errorf("Search(%q) = hits %v suggestions %v, want nothing", q, ids(r.Hits), ids(r.Suggestions))
		}
	}
	if r := ix.Search("Fixture Meadow", 0); len(r.Suggestions) == 0 || r.Suggestions[0].ID != "meadow" {
		t.Errorf("Search(%q) suggestions %v, want meadow first", "Fixture Meadow", ids(r.Suggestions))
	}
}

func TestPrefix(t *testing.T) {
	ix := Build(small)
	tests := []struct {
		prefix string
		limit  int
		want   []string
	}{
		{"toy", 10, []string{"toy-story", "toy-story-2"}},
		{"Toy Story", 1, []string{"toy-story"}},
		{"The Lion", 10, []string{"lion-king-1994", "lion-king-2019"}},
		{"lion king, the", 10, []string{"lion-king-1994", "lion-king-2019"}},
		{"treas", 10, []string{"treasure-1934", "treasure-1950", "treasure-planet"}},
		{"treas", 2, []string{"treasure-1934", "treasure-1950"}},
		{"ame", 10, []string{"amelie"}},
		{"le fab", 10, []string{"amelie"}},
		{"le", 10, []string{"amelie", "ballerina-2016"}}, // "le fabuleux...", "leap"
		{"gr", 10, []string{"grey-gardens"}},             // title and alias: listed once
		{"zzz", 10, nil},
		{"toy", 0, nil},
		{"toy", -1, nil},
		{"", 3, []string{"amelie", "ballerina-2016", "ballerina-2023"}}, // the alphabetically first titles
	}
	for _, tt := range tests {
		got := ids(ix.Prefix(tt.prefix, tt.limit))
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Prefix(%q, %d) = %v, want %v", tt.prefix, tt.limit, got, tt.want)
		}
	}
}

func TestBuildEmptyAndBlank(t *testing.T) {
	ix := Build(nil)
	if ix.Len() != 0 {
		t.Errorf("Len = %d", ix.Len())
	}
	if r := ix.Search("anything at all", 0); r.Kind != None || len(r.Hits)+len(r.Suggestions) > 0 {
		t.Errorf("empty index: %+v", r)
	}
	if got := ix.Prefix("", 5); len(got) != 0 {
		t.Errorf("empty index prefix: %v", got)
	}
	// A title that normalises to nothing is kept as an entry but never found.
	ix = Build([]Entry{{ID: "blank", Title: "?!"}, {ID: "ok", Title: "Okay Then"}})
	if ix.Len() != 2 {
		t.Errorf("Len = %d, want 2", ix.Len())
	}
	if r := ix.Search("okay then", 0); r.Kind != Exact || len(r.Hits) != 1 {
		t.Errorf("got %+v", r)
	}
}

func TestSearchLongQuery(t *testing.T) {
	ix := Build(small)
	long := strings.Repeat("ballerina ", 10000)
	if r := ix.Search(long, 0); r.Kind != None || len(r.Hits) > 0 {
		t.Errorf("Search(very long) = %v %v", r.Kind, ids(r.Hits))
	}
	// A long title is still found exactly.
	title := strings.Repeat("very long title ", 40)
	ix = Build([]Entry{{ID: "long", Title: title}})
	if r := ix.Search(title, 0); r.Kind != Exact {
		t.Errorf("long title: %v", r.Kind)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"ballerina", "ballerina", 3, 0},
		{"ballerina", "balerina", 3, 1},
		{"ballerina", "ballerian", 3, 1}, // swap counts once
		{"ballerina", "abllerina", 3, 1},
		{"ballerina", "bellerinaa", 3, 2},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 3, 3}, // capped at the limit
		{"kitten", "sitting", 2, 2},
		{"abc", "", 5, 3},
		{"", "abc", 5, 3},
		{"abc", "abcdefgh", 3, 3}, // length gap alone reaches the limit
		{"king lion", "lion king", 9, 6},
		{strings.Repeat("a", 100), strings.Repeat("a", 99) + "b", 3, 1}, // beyond the stack buffer
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
		if got := distance(tt.b, tt.a, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.b, tt.a, tt.limit, got, tt.want)
		}
	}
}

func TestMatchKindString(t *testing.T) {
	for k, want := range map[MatchKind]string{None: "none", Exact: "exact", Fuzzy: "fuzzy", MatchKind(42): "none"} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", k, got, want)
		}
	}
}

// TestSearchConcurrent shares one index between goroutines; run with -race.
func TestSearchConcurrent(t *testing.T) {
	ix := Build(small)
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := range 200 {
				q := []string{"balerina", "Lion King", "Zzzz Qqqq", "tresure island"}[(g+i)%4]
				r := ix.Search(q, 0)
				if q == "balerina" && (r.Kind != Fuzzy || len(r.Hits) != 2) {
					done <- fmt.Errorf("Search(%q) = %v %v", q, r.Kind, ids(r.Hits))
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestBuildAliasSameKey: an entry whose aliases share a key with its title
// or with each other is listed once, and same-year entries keep list order.
func TestBuildAliasSameKey(t *testing.T) {
	ix := Build([]Entry{
		{ID: "alpha-a", Title: "Alpha Film", Year: 2000, AKA: []string{"Beta Film", "The Alpha Film", "Alpha Film!"}},
		{ID: "alpha-b", Title: "Alpha Film", Year: 1990},
		{ID: "alpha-c", Title: "Alpha Film", Year: 2000, AKA: []string{"Beta Film"}},
	})
	for q, want := range map[string][]string{
		"Alpha Film": {"alpha-b", "alpha-a", "alpha-c"},
		"Beta Film":  {"alpha-a", "alpha-c"},
	} {
		if got := ids(ix.Search(q, 0).Hits); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
	if got := ids(ix.Prefix("alpha", 10)); !slices.Equal(got, []string{"alpha-b", "alpha-a", "alpha-c"}) {
		t.Errorf("Prefix(alpha) = %v", got)
	}
}
