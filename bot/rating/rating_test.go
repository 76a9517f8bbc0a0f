package rating

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// v is one expected value: spelling, implied age, advisory.
type v struct {
	value  string
	age    int
	advise bool
}

// wantSystems is every value of every system, youngest audience first: a
// change to an age or an advisory flag must change this table too.
var wantSystems = map[System][]v{
	MPAA:       {{"G", 0, false}, {"PG", 8, true}, {"PG-13", 13, true}, {"R", 17, false}, {"NC-17", 18, false}},
	USTV:       {{"TV-Y", 0, false}, {"TV-Y7", 7, false}, {"TV-G", 0, false}, {"TV-PG", 10, true}, {"TV-14", 14, true}, {"TV-MA", 17, false}},
	BBFC:       {{"U", 4, true}, {"PG", 8, true}, {"12A", 12, true}, {"12", 12, false}, {"15", 15, false}, {"18", 18, false}, {"R18", 18, false}},
	IFCO:       {{"G", 4, true}, {"PG", 12, true}, {"12A", 12, true}, {"12", 12, false}, {"15A", 15, true}, {"15", 15, false}, {"16", 16, false}, {"18", 18, false}},
	FSK:        {{"0", 0, false}, {"6", 6, false}, {"12", 12, false}, {"16", 16, false}, {"18", 18, false}},
	DETV:       {{"0", 0, false}, {"6", 6, false}, {"12", 12, false}, {"16", 16, false}, {"18", 18, false}},
	CNC:        {{"TP", 0, false}, {"10", 10, true}, {"12", 12, false}, {"16", 16, false}, {"18", 18, false}},
	FRTV:       {{"10", 10, true}, {"12", 12, true}, {"16", 16, false}, {"18", 18, false}},
	Kijkwijzer: {{"AL", 0, false}, {"6", 6, true}, {"9", 9, true}, {"12", 12, true}, {"14", 14, true}, {"16", 16, false}, {"18", 18, false}},
	ICAA:       {{"A", 0, false}, {"Ai", 0, false}, {"7", 7, true}, {"7i", 7, true}, {"12", 12, true}, {"16", 16, true}, {"18", 18, false}, {"X", 18, false}},
	ESTV:       {{"ERI", 0, false}, {"TP", 0, false}, {"7", 7, true}, {"10", 10, true}, {"12", 12, true}, {"13", 13, true}, {"16", 16, true}, {"18", 18, false}},
	ITFilm:     {{"T", 0, false}, {"6+", 6, true}, {"14+", 14, false}, {"18+", 18, false}, {"VM14", 14, false}, {"VM18", 18, false}},
	ITTV:       {{"T", 0, false}, {"BA", 8, true}, {"VM12", 12, false}, {"VM14", 14, false}, {"VM18", 18, false}},
	SE:         {{"Btl", 0, false}, {"7", 7, false}, {"11", 11, false}, {"15", 15, false}},
	DK:         {{"A", 0, false}, {"7", 7, true}, {"11", 11, false}, {"15", 15, false}},
	NO:         {{"A", 0, false}, {"6", 6, false}, {"9", 9, false}, {"12", 12, false}, {"15", 15, false}, {"18", 18, false}},
	AU:         {{"G", 0, false}, {"PG", 15, true}, {"M", 15, true}, {"MA 15+", 15, false}, {"R 18+", 18, false}, {"X 18+", 18, false}, {"RC", 18, false}},
	AUTV:       {{"P", 0, false}, {"C", 0, false}, {"G", 0, false}, {"PG", 15, true}, {"M", 15, true}, {"MA 15+", 15, false}, {"AV 15+", 15, false}, {"R 18+", 18, false}},
	NZ: {{"G", 0, false}, {"PG", 8, true}, {"M", 16, true}, {"R13", 13, false}, {"RP13", 13, false}, {"R15", 15, false},
		{"R16", 16, false}, {"RP16", 16, false}, {"R18", 18, false}, {"RP18", 18, false}, {"R", 18, false}},
	NZTV:     {{"G", 0, false}, {"PG", 8, true}, {"M", 16, true}, {"16", 16, false}, {"18", 18, false}},
	CHVRS:    {{"G", 0, false}, {"PG", 8, true}, {"14A", 14, true}, {"18A", 18, false}, {"R", 18, false}, {"A", 18, false}},
	CATV:     {{"C", 0, false}, {"C8", 8, true}, {"G", 0, false}, {"PG", 8, true}, {"14+", 14, true}, {"18+", 18, false}},
	ClassInd: {{"L", 0, false}, {"10", 10, true}, {"12", 12, true}, {"14", 14, true}, {"16", 16, true}, {"18", 18, false}},
	CBFC:     {{"U", 0, false}, {"U/A 7+", 7, true}, {"UA", 12, true}, {"U/A 13+", 13, true}, {"U/A 16+", 16, true}, {"A", 18, false}, {"S", 18, false}},
	INTV:     {{"U", 0, false}, {"U/A 7+", 7, true}, {"U/A 13+", 13, true}, {"U/A 16+", 16, true}, {"A", 18, false}},
	Eirin:    {{"G", 0, false}, {"PG12", 12, true}, {"R15+", 15, false}, {"R18+", 18, false}},
	KMRB:     {{"All", 0, false}, {"12", 12, true}, {"15", 15, true}, {"18", 19, false}, {"Restricted Screening", 19, false}},
	KRTV:     {{"ALL", 0, false}, {"7", 7, true}, {"12", 12, true}, {"15", 15, true}, {"19", 19, false}},
}

// TestSystemTables checks every value of every system, one subtest per
// system: its age, its advisory flag, its official spelling and order.
func TestSystemTables(t *testing.T) {
	if got, want := len(Systems()), len(wantSystems); got != want {
		t.Errorf("%d systems known, %d documented here", got, want)
	}
	for _, s := range Systems() {
		t.Run(string(s), func(t *testing.T) {
			want, ok := wantSystems[s]
			if !ok {
				t.Fatalf("system %s is not documented in this test", s)
			}
			got := Values(s)
			if len(got) != len(want) {
				t.Fatalf("%d values, want %d: %v", len(got), len(want), got)
			}
			for i, w := range want {
				r := got[i]
				if r.Value != w.value || r.MinAge != w.age || r.Guidance != w.advise || r.Advisory() != w.advise {
					t.Errorf("value %d = %s age %d advisory %v, want %s age %d advisory %v", i, r.Value, r.MinAge, r.Guidance, w.value, w.age, w.advise)
				}
				if r.System != s || r.Meaning == "" {
					t.Errorf("%s: system %s, meaning %q", r.Value, r.System, r.Meaning)
				}
				// Looking the official spelling up returns the same rating.
				if l, err := Lookup(s, w.value); err != nil || l != r {
					t.Errorf("Lookup(%s, %q) = %+v, %v; want %+v", s, w.value, l, err, r)
				}
			}
		})
	}
}

// TestTableInvariants guards what every table must keep for the bot to stay
// honest, so a new or edited system cannot slip past.
func TestTableInvariants(t *testing.T) {
	for s, info := range systems {
		if info.name == "" || info.country == "" {
			t.Errorf("%s: name %q, country %q", s, info.name, info.country)
		}
		if _, ok := countries[info.country]; !ok {
			t.Errorf("%s: country %s has no entry in countries", s, info.country)
		}
		// Within a system no two spellings may compare equal unless they
		// are one value: otherwise forgiving spelling would merge ratings.
		owner := map[string]string{"NR": "not rated"}
		claim := func(spelling, who string) {
			k := key(spelling)
			if k == "" {
				t.Errorf("%s: empty spelling for %s", s, who)
			}
			if prev, ok := owner[k]; ok && prev != who {
				t.Errorf("%s: %q of %s collides with %s", s, spelling, who, prev)
			}
			owner[k] = who
		}
		for _, e := range info.values {
			claim(e.value, e.value)
			for _, a := range e.aliases {
				claim(a, e.value)
			}
			switch {
			case e.minAge < 0 || e.minAge > 19:
				t.Errorf("%s %s: implausible age %d", s, e.value, e.minAge)
			case e.guidance && e.minAge == 0:
				t.Errorf("%s %s: advisory with no age to advise about", s, e.value)
			case e.guidance && e.minAge >= 18:
				t.Errorf("%s %s: an adult value must not be advisory", s, e.value)
			}
			if strings.HasSuffix(e.meaning, ".") || e.meaning == "" {
				t.Errorf("%s %s: meaning %q (non-empty, no final period: replies add it)", s, e.value, e.meaning)
			}
		}
		for _, x := range info.exempt {
			claim(x, "exempt")
		}
	}
	reached := map[System]bool{}
	for c, cs := range countries {
		for _, s := range []System{cs.film, cs.show} {
			if s == "" {
				continue
			}
			if _, ok := systems[s]; !ok {
				t.Errorf("%s uses unknown system %s", c, s)
			}
			if systems[s].country != c {
				t.Errorf("%s uses %s, which belongs to %s", c, s, systems[s].country)
			}
			reached[s] = true
		}
	}
	for s := range systems {
		if !reached[s] {
			t.Errorf("system %s is used by no country", s)
		}
	}
}

// TestLookupCountry reads certifications as TMDB writes them, including the
// boundaries between neighbouring values and the spellings it forgives.
func TestLookupCountry(t *testing.T) {
	tests := []struct {
		country string
		media   Media
		value   string
		system  System
		want    string // official spelling
		age     int
		advise  bool
	}{
		// GB: 12A (cinema, advisory) and 12 (video, restricted) share an age.
		{"GB", Film, "12A", BBFC, "12A", 12, true},
		{"GB", Film, "12", BBFC, "12", 12, false},
		{"GB", Film, "12a", BBFC, "12A", 12, true},
		{"GB", Film, "PG", BBFC, "PG", 8, true},
		{"GB", Film, "R18", BBFC, "R18", 18, false},
		{"GB", Show, "15", BBFC, "15", 15, false},
		{"gb", Film, " u ", BBFC, "U", 4, true},
		// IE: PG names two ages; the higher is used.
		{"IE", Film, "PG", IFCO, "PG", 12, true},
		{"IE", Film, "15A", IFCO, "15A", 15, true},
		{"IE", Film, "15", IFCO, "15", 15, false},
		// US: MPA and TV scales never mix; PG13/NC17 are harmless variants.
		{"US", Film, "PG-13", MPAA, "PG-13", 13, true},
		{"US", Film, "PG13", MPAA, "PG-13", 13, true},
		{"US", Film, "pg 13", MPAA, "PG-13", 13, true},
		{"US", Film, "NC17", MPAA, "NC-17", 18, false},
		{"US", Show, "TV-MA", USTV, "TV-MA", 17, false},
		{"US", Show, "tv-y7", USTV, "TV-Y7", 7, false},
		{"US", Show, "TVPG", USTV, "TV-PG", 10, true},
		// DE: FSK for films, the JMStV scale for TV; FSK 12 is binding.
		{"DE", Film, "12", FSK, "12", 12, false},
		{"DE", Film, "0", FSK, "0", 0, false},
		{"DE", Show, "16", DETV, "16", 16, false},
		// FR: "U" and "Tous publics" are TMDB's and the law's words for TP.
		{"FR", Film, "TP", CNC, "TP", 0, false},
		{"FR", Film, "U", CNC, "TP", 0, false},
		{"FR", Film, "tous publics", CNC, "TP", 0, false},
		{"FR", Film, "12", CNC, "12", 12, false},
		{"FR", Film, "10", CNC, "10", 10, true},
		{"FR", Show, "12", FRTV, "12", 12, true},
		{"FR", Show, "16", FRTV, "16", 16, false},
		// NL: advice up to 14; 16 and 18 are binding.
		{"NL", Film, "AL", Kijkwijzer, "AL", 0, false},
		{"NL", Film, "14", Kijkwijzer, "14", 14, true},
		{"NL", Film, "16", Kijkwijzer, "16", 16, false},
		{"NL", Show, "9", Kijkwijzer, "9", 9, true},
		// ES: "APTA" is the older spelling of A; Ai and A are not merged.
		{"ES", Film, "APTA", ICAA, "A", 0, false},
		{"ES", Film, "ai", ICAA, "Ai", 0, false},
		{"ES", Film, "7i", ICAA, "7i", 7, true},
		{"ES", Film, "X", ICAA, "X", 18, false},
		{"ES", Show, "13", ESTV, "13", 13, true},
		// IT: 14+ is binding (12 with a parent); 6+ is advice.
		{"IT", Film, "6+", ITFilm, "6+", 6, true},
		{"IT", Film, "14+", ITFilm, "14+", 14, false},
		{"IT", Film, "VM18", ITFilm, "VM18", 18, false},
		{"IT", Show, "BA", ITTV, "BA", 8, true},
		// SE: TMDB's TV list spells the same ages "Från N år".
		{"SE", Film, "Btl", SE, "Btl", 0, false},
		{"SE", Film, "11", SE, "11", 11, false},
		{"SE", Show, "Från 11 år", SE, "11", 11, false},
		{"SE", Show, "FRÅN 7 ÅR", SE, "7", 7, false},
		{"DK", Film, "7", DK, "7", 7, true},
		{"DK", Show, "11", DK, "11", 11, false},
		{"NO", Film, "18", NO, "18", 18, false},
		{"NO", Show, "9", NO, "9", 9, false},
		// AU: M is advice, MA 15+ the law, at the same age; old and new spellings.
		{"AU", Film, "M", AU, "M", 15, true},
		{"AU", Film, "MA 15+", AU, "MA 15+", 15, false},
		{"AU", Film, "MA15+", AU, "MA 15+", 15, false},
		{"AU", Film, "ma15+", AU, "MA 15+", 15, false},
		{"AU", Film, "R18+", AU, "R 18+", 18, false},
		{"AU", Film, "RC", AU, "RC", 18, false},
		{"AU", Show, "AV15+", AUTV, "AV 15+", 15, false},
		{"AU", Show, "P", AUTV, "P", 0, false},
		// NZ: R13 and RP13 are distinct values; "13" is TMDB's older R13.
		{"NZ", Film, "R13", NZ, "R13", 13, false},
		{"NZ", Film, "RP13", NZ, "RP13", 13, false},
		{"NZ", Film, "13", NZ, "R13", 13, false},
		{"NZ", Film, "M", NZ, "M", 16, true},
		{"NZ", Show, "16", NZTV, "16", 16, false},
		// CA: home video for films, AGVOT for TV.
		{"CA", Film, "14A", CHVRS, "14A", 14, true},
		{"CA", Film, "18A", CHVRS, "18A", 18, false},
		{"CA", Show, "14+", CATV, "14+", 14, true},
		{"CA", Show, "C8+", CATV, "C8", 8, true},
		// BR: one scale for films and TV.
		{"BR", Film, "L", ClassInd, "L", 0, false},
		{"BR", Film, "livre", ClassInd, "L", 0, false},
		{"BR", Film, "14", ClassInd, "14", 14, true},
		{"BR", Show, "18", ClassInd, "18", 18, false},
		// IN: TMDB's "U/A 7+" and the CBFC's "UA 7+" are one value; UA is not UA 7+.
		{"IN", Film, "U/A 7+", CBFC, "U/A 7+", 7, true},
		{"IN", Film, "UA 7+", CBFC, "U/A 7+", 7, true},
		{"IN", Film, "UA", CBFC, "UA", 12, true},
		{"IN", Film, "U/A", CBFC, "UA", 12, true},
		{"IN", Film, "A", CBFC, "A", 18, false},
		{"IN", Show, "U/A 16+", INTV, "U/A 16+", 16, true},
		// JP and KR.
		{"JP", Film, "PG12", Eirin, "PG12", 12, true},
		{"JP", Film, "PG-12", Eirin, "PG12", 12, true},
		{"JP", Film, "R15+", Eirin, "R15+", 15, false},
		{"KR", Film, "All", KMRB, "All", 0, false},
		{"KR", Film, "15", KMRB, "15", 15, true},
		{"KR", Film, "18", KMRB, "18", 19, false},
		{"KR", Film, "restricted screening", KMRB, "Restricted Screening", 19, false},
		{"KR", Show, "19", KRTV, "19", 19, false},
		{"KR", Show, "All", KRTV, "ALL", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.country+"/"+string(tt.media)+"/"+tt.value, func(t *testing.T) {
			r, err := LookupCountry(tt.country, tt.media, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if r.System != tt.system || r.Value != tt.want || r.MinAge != tt.age || r.Guidance != tt.advise {
				t.Errorf("got %s %q age %d advisory %v, want %s %q age %d advisory %v",
					r.System, r.Value, r.MinAge, r.Guidance, tt.system, tt.want, tt.age, tt.advise)
			}
		})
	}
}

// TestLookupCountryUnknown: anything not recognised is an error of a known
// kind and carries no rating at all, so no caller can read an age from it.
func TestLookupCountryUnknown(t *testing.T) {
	tests := []struct {
		country string
		media   Media
		value   string
		kind    error
		msg     string
	}{
		{"PL", Film, "12", ErrUnknownCountry, `no rating system known for country "PL"`},
		{"", Film, "PG", ErrUnknownCountry, `country ""`},
		{"UK", Film, "15", ErrUnknownCountry, `"UK"`}, // ISO is GB; ParseCountry maps it, lookups do not guess
		{"GBR", Film, "15", ErrUnknownCountry, `"GBR"`},
		{"IE", Show, "15", ErrNoSystem, "no show rating system known for IE"},
		{"JP", Show, "G", ErrNoSystem, "no show rating system known for JP"},
		{"US", "movie", "PG", ErrNoSystem, `unknown media kind "movie"`},
		{"US", Film, "", ErrNotRated, `unknown MPAA rating "": no rating given`},
		{"US", Film, "   ", ErrNotRated, "no rating given"},
		{"GB", Film, "NR", ErrNotRated, `unknown BBFC rating "NR": not rated`},
		{"de", Film, "nr", ErrNotRated, "not rated"},
		{"AU", Film, "E", ErrExempt, `unknown AU rating "E": exempt from classification`},
		{"CA", Film, "E", ErrExempt, "exempt"},
		{"CA", Show, "Exempt", ErrExempt, "exempt"},
		{"KR", Show, "Exempt", ErrExempt, "exempt"},
		{"DK", Film, "F", ErrExempt, "exempt"},
		{"US", Film, "TV-MA", ErrUnknownValue, `unknown MPAA rating "TV-MA" (known: G, PG, PG-13, R, NC-17)`},
		{"US", Show, "PG", ErrUnknownValue, `unknown US-TV rating "PG"`},
		{"US", Film, "X", ErrUnknownValue, `unknown MPAA rating "X"`},
		{"US", Film, "PG-13+", ErrUnknownValue, "PG-13+"},
		{"GB", Film, "12B", ErrUnknownValue, `unknown BBFC rating "12B"`},
		{"GB", Film, "X", ErrUnknownValue, "known: U, PG, 12A, 12, 15, 18, R18"},
		{"DE", Film, "FSK 12", ErrUnknownValue, `"FSK 12"`},
		{"DE", Film, "14", ErrUnknownValue, `"14"`},
		{"FR", Show, "TP", ErrUnknownValue, `unknown FR-TV rating "TP"`}, // no all-ages mark on French TV
		{"AU", Film, "MA 16+", ErrUnknownValue, `"MA 16+"`},
		{"AU", Film, "MA", ErrUnknownValue, `"MA"`},
		{"NZ", Film, "R14", ErrUnknownValue, `"R14"`},
		{"NZ", Film, "RP15", ErrUnknownValue, `"RP15"`},
		{"IN", Film, "UA 12+", ErrUnknownValue, `"UA 12+"`},
		{"IT", Film, "10+", ErrUnknownValue, `"10+"`}, // TMDB's spelling of the 2025 value is not known
		{"SE", Film, "18", ErrUnknownValue, `unknown SE rating "18"`},
		{"KR", Film, "19", ErrUnknownValue, `unknown KMRB rating "19"`},
		{"JP", Film, "R-15", ErrUnknownValue, `"R-15"`},
		{"US", Film, strings.Repeat("PG", 100), ErrUnknownValue, "unknown MPAA rating"},
	}
	sentinels := []error{ErrUnknownSystem, ErrUnknownCountry, ErrNoSystem, ErrNotRated, ErrExempt, ErrUnknownValue}
	for _, tt := range tests {
		t.Run(tt.country+"/"+string(tt.media)+"/"+tt.value, func(t *testing.T) {
			r, err := LookupCountry(tt.country, tt.media, tt.value)
			if err == nil {
				t.Fatalf("got %+v, want an error", r)
			}
			if r != (Rating{}) {
				t.Errorf("returned %+v with its error", r)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", err, tt.kind)
			}
			for _, s := range sentinels {
				if s != tt.kind && errors.Is(err, s) {
					t.Errorf("error %q is also %v", err, s)
				}
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error is %d bytes long: outside input must not blow it up", len(err.Error()))
			}
		})
	}
}

// TestUnknownIsNeverAnAge: every country and kind, asked for every spelling
// any system knows (and some that none does), either answers with a value of
// its own system or refuses. An answer never comes from another system, and
// an all-ages (age 0) answer only for a value this package lists as all-ages.
func TestUnknownIsNeverAnAge(t *testing.T) {
	probes := []string{"", " ", "NR", "N/A", "Unrated", "Not Rated", "?", "0+", "-", "+", "XXX", "Banned", "Approved",
		"TV-Y7-FV", "PG-12", "12PG", "M18", "R21", "NC16", "K-16", "T+", "18SX", "E10+", "\u00a0", "PG\x00", "Ｇ"}
	for _, info := range systems {
		for _, e := range info.values {
			probes = append(probes, e.value, strings.ToLower(e.value))
			probes = append(probes, e.aliases...)
		}
		probes = append(probes, info.exempt...)
	}
	allAges := map[System][]string{}
	for s, vs := range wantSystems {
		for _, w := range vs {
			if w.age == 0 {
				allAges[s] = append(allAges[s], w.value)
			}
		}
	}
	for _, c := range append(Countries(), "PL", "", "XX") {
		for _, m := range []Media{Film, Show, ""} {
			sys, sysErr := SystemFor(c, m)
			for _, p := range probes {
				r, err := LookupCountry(c, m, p)
				if err != nil {
					if r != (Rating{}) {
						t.Errorf("%s/%s/%q: rating %+v returned with error %v", c, m, p, r, err)
					}
					continue
				}
				if sysErr != nil || r.System != sys {
					t.Errorf("%s/%s/%q: answered by %s, want the country's own system (%v)", c, m, p, r.System, sysErr)
				}
				if r.MinAge == 0 && !slices.Contains(allAges[r.System], r.Value) {
					t.Errorf("%s/%s/%q: age 0 for a value not listed as all-ages: %+v", c, m, p, r)
				}
				if key(p) != key(r.Value) && !slices.ContainsFunc(aliasesOf(r), func(a string) bool { return key(a) == key(p) }) {
					t.Errorf("%s/%s/%q: matched %s %q, which is neither its spelling nor an alias", c, m, p, r.System, r.Value)
				}
			}
		}
	}
}

func aliasesOf(r Rating) []string {
	for _, e := range systems[r.System].values {
		if e.value == r.Value {
			return e.aliases
		}
	}
	return nil
}

func TestCountries(t *testing.T) {
	want := []string{"AU", "BR", "CA", "DE", "DK", "ES", "FR", "GB", "IE", "IN", "IT", "JP", "KR", "NL", "NO", "NZ", "SE", "US"}
	if got := Countries(); !slices.Equal(got, want) {
		t.Errorf("Countries() = %v, want %v", got, want)
	}
	for _, c := range want {
		if _, err := SystemFor(c, Film); err != nil {
			t.Errorf("%s has no film system: %v", c, err)
		}
	}
}

func TestParseCountry(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GB", "GB"}, {"gb", "GB"}, {" us ", "US"}, {"UK", "GB"}, {"uk", "GB"}, {"Kr", "KR"},
	}
	for _, tt := range tests {
		if got, err := ParseCountry(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseCountry(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "PL", "GBR", "England", "U S", "EU"} {
		got, err := ParseCountry(bad)
		if !errors.Is(err, ErrUnknownCountry) || got != "" {
			t.Errorf("ParseCountry(%q) = %q, %v; want ErrUnknownCountry", bad, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "AU, BR, CA") {
			t.Errorf("ParseCountry(%q) error %q does not list the known countries", bad, err)
		}
	}
}

// TestChoose: the asked country's first usable certification wins; without
// one, the US one stands in and says so; with neither, the answer is unknown.
func TestChoose(t *testing.T) {
	c := func(country, value string) Candidate { return Candidate{Country: country, Value: value} }
	tests := []struct {
		name     string
		country  string
		media    Media
		cands    []Candidate
		value    string // chosen rating's value; "" for an error
		from     string
		fallback bool
		unusable []string
		errMsg   string
	}{
		{name: "own country", country: "GB", media: Film,
			cands: []Candidate{c("US", "PG-13"), c("GB", "12A")}, value: "12A", from: "GB"},
		{name: "caller's order: first usable, empty skipped", country: "GB", media: Film,
			cands: []Candidate{c("GB", ""), c("GB", "12A"), c("GB", "12")}, value: "12A", from: "GB"},
		{name: "lower-case country codes", country: "gb", media: Film,
			cands: []Candidate{c("gb", "15")}, value: "15", from: "GB"},
		{name: "no GB rating: US stands in", country: "GB", media: Film,
			cands: []Candidate{c("US", "PG-13"), c("FR", "12")}, value: "PG-13", from: "US", fallback: true},
		{name: "GB only NR: US stands in, NR not reported", country: "GB", media: Film,
			cands: []Candidate{c("GB", "NR"), c("US", "R")}, value: "R", from: "US", fallback: true},
		{name: "unknown GB value: reported, US stands in", country: "GB", media: Film,
			cands: []Candidate{c("GB", "X"), c("GB", "X"), c("GB", "E"), c("US", ""), c("US", "R")},
			value: "R", from: "US", fallback: true, unusable: []string{"X", "E"}},
		{name: "unknown value passed over for a known one", country: "AU", media: Film,
			cands: []Candidate{c("AU", "MA16"), c("AU", "MA15+")}, value: "MA 15+", from: "AU", unusable: []string{"MA16"}},
		{name: "exempt passed over", country: "AU", media: Film,
			cands: []Candidate{c("AU", "E"), c("US", "G")}, value: "G", from: "US", fallback: true, unusable: []string{"E"}},
		{name: "a show uses the TV scale", country: "US", media: Show,
			cands: []Candidate{c("US", "TV-14")}, value: "TV-14", from: "US"},
		{name: "a film value is not a show value", country: "US", media: Show,
			cands: []Candidate{c("US", "PG-13")}, unusable: []string{"PG-13"},
			errMsg: `no usable US show certification (US lists "PG-13")`},
		{name: "no JP TV scale: US TV stands in", country: "JP", media: Show,
			cands: []Candidate{c("JP", "G"), c("US", "TV-PG")}, value: "TV-PG", from: "US", fallback: true, unusable: []string{"G"}},
		{name: "unknown country falls back", country: "PL", media: Film,
			cands: []Candidate{c("PL", "12"), c("US", "PG")}, value: "PG", from: "US", fallback: true, unusable: []string{"12"}},
		{name: "US asked, nothing usable", country: "US", media: Film,
			cands: []Candidate{c("US", ""), c("US", "NR"), c("GB", "15")}, errMsg: "no usable US film certification"},
		{name: "nothing at all", country: "DE", media: Film,
			errMsg: "no usable DE or US film certification"},
		{name: "nothing usable anywhere", country: "DE", media: Film,
			cands: []Candidate{c("DE", "FSK 16"), c("US", "Unrated")}, unusable: []string{"FSK 16"},
			errMsg: `no usable DE or US film certification (DE lists "FSK 16")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := Choose(tt.country, tt.media, tt.cands)
			if !slices.Equal(ch.Unusable, tt.unusable) {
				t.Errorf("unusable %q, want %q", ch.Unusable, tt.unusable)
			}
			if tt.errMsg != "" {
				if !errors.Is(err, ErrNoCertification) || !strings.Contains(err.Error(), tt.errMsg) {
					t.Errorf("error %v, want ErrNoCertification saying %q", err, tt.errMsg)
				}
				if ch.Rating != (Rating{}) || ch.Country != "" || ch.Fallback {
					t.Errorf("choice %+v returned with the error", ch)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ch.Rating.Value != tt.value || ch.Country != tt.from || ch.Fallback != tt.fallback {
				t.Errorf("chose %s %q (fallback %v), want %s %q (fallback %v)", ch.Country, ch.Rating.Value, ch.Fallback, tt.from, tt.value, tt.fallback)
			}
			if ch.Rating.System.Country() != ch.Country {
				t.Errorf("rating of system %s reported as %s's", ch.Rating.System, ch.Country)
			}
		})
	}
}

func TestLookupCaseInsensitive(t *testing.T) {
	tests := []struct {
		system System
		value  string
		want   Rating
	}{
		{"MPAA", "pg-13", Rating{System: MPAA, Value: "PG-13", MinAge: 13}},
		{"mpaa", "Pg-13", Rating{System: MPAA, Value: "PG-13", MinAge: 13}},
		{"us-tv", "tv-ma", Rating{System: USTV, Value: "TV-MA", MinAge: 17}},
		{"Us-Tv", "TV-y7", Rating{System: USTV, Value: "TV-Y7", MinAge: 7}},
		{"MPAA", "nc-17", Rating{System: MPAA, Value: "NC-17", MinAge: 18}},
		{"MPAA", "PG13", Rating{System: MPAA, Value: "PG-13", MinAge: 13}},
		{"MPAA", "PG ", Rating{System: MPAA, Value: "PG", MinAge: 8}},
		{"bbfc", "12a", Rating{System: BBFC, Value: "12A", MinAge: 12}},
		{"kijkwijzer", "al", Rating{System: Kijkwijzer, Value: "AL", MinAge: 0}},
	}
	for _, tt := range tests {
		r, err := Lookup(tt.system, tt.value)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tt.system, tt.value, err)
			continue
		}
		if r.System != tt.want.System || r.Value != tt.want.Value || r.MinAge != tt.want.MinAge {
			t.Errorf("Lookup(%q, %q) = %s %s %d, want the official %s %s %d", tt.system, tt.value, r.System, r.Value, r.MinAge, tt.want.System, tt.want.Value, tt.want.MinAge)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	tests := []struct {
		system System
		value  string
		kind   error
		want   []string // in the message
	}{
		{"BBFCX", "15", ErrUnknownSystem, []string{`unknown rating system "BBFCX"`, "MPAA", "US-TV", "BBFC"}},
		{"", "PG", ErrUnknownSystem, []string{`unknown rating system ""`}},
		{"MPAA", "TV-MA", ErrUnknownValue, []string{`unknown MPAA rating "TV-MA"`, "G, PG, PG-13, R, NC-17"}},
		{"US-TV", "TV-QQ", ErrUnknownValue, []string{`unknown US-TV rating "TV-QQ"`, "TV-Y, TV-Y7, TV-G, TV-PG, TV-14, TV-MA"}},
		{"us-tv", "PG", ErrUnknownValue, []string{`unknown US-TV rating "PG"`}},
		{"MPAA", "", ErrNotRated, []string{`unknown MPAA rating ""`}},
		{"MPAA", "NR", ErrNotRated, []string{`unknown MPAA rating "NR"`}},
		{"AU", "E", ErrExempt, []string{`unknown AU rating "E"`, "exempt"}},
		{"ICAA", "Z", ErrUnknownValue, []string{`unknown ICAA rating "Z"`, "A, Ai, 7, 7i, 12, 16, 18, X"}},
	}
	for _, tt := range tests {
		r, err := Lookup(tt.system, tt.value)
		if err == nil {
			t.Errorf("Lookup(%q, %q) = %+v, want an error", tt.system, tt.value, r)
			continue
		}
		if r != (Rating{}) {
			t.Errorf("Lookup(%q, %q) returned %+v with its error", tt.system, tt.value, r)
		}
		if !errors.Is(err, tt.kind) {
			t.Errorf("Lookup(%q, %q) error %q is not %v", tt.system, tt.value, err, tt.kind)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Lookup(%q, %q) error %q lacks %q", tt.system, tt.value, err, w)
			}
		}
	}
}

func TestSystemsAndValues(t *testing.T) {
	got := Systems()
	if !slices.IsSorted(got) || !slices.Contains(got, MPAA) || !slices.Contains(got, USTV) {
		t.Errorf("Systems() = %v: want sorted, with MPAA and US-TV", got)
	}
	if v := Values("BBFCX"); len(v) != 0 {
		t.Errorf("Values(BBFCX) = %v", v)
	}
	// Values returns a copy: callers cannot change the table.
	v := Values(MPAA)
	v[0].MinAge = 99
	if r, _ := Lookup(MPAA, "G"); r.MinAge != 0 {
		t.Errorf("mutating Values changed the table: G is now %d", r.MinAge)
	}
	if BBFC.Name() != "BBFC" || USTV.Name() != "TV Parental Guidelines" || System("ZZ").Name() != "ZZ" {
		t.Errorf("names: %q %q %q", BBFC.Name(), USTV.Name(), System("ZZ").Name())
	}
	if SE.Country() != "SE" || CHVRS.Country() != "CA" || System("ZZ").Country() != "" {
		t.Errorf("countries: %q %q %q", SE.Country(), CHVRS.Country(), System("ZZ").Country())
	}
}

// FuzzLookupCountry: TMDB's certification strings are outside input. Any
// input either yields a value of the country's own system that looks itself
// up again unchanged, or an error of a known kind with no rating.
func FuzzLookupCountry(f *testing.F) {
	for _, s := range []string{"12A", "MA15+", "U/A 7+", "Från 7 år", "", "NR", "E", "pg13", "\u00a0PG\u00a0", "Restricted Screening"} {
		f.Add("GB", "film", s)
		f.Add("AU", "show", s)
	}
	f.Fuzz(func(t *testing.T, country, media, value string) {
		r, err := LookupCountry(country, Media(media), value)
		if err != nil {
			if r != (Rating{}) {
				t.Fatalf("rating %+v with error %v", r, err)
			}
			known := false
			for _, s := range []error{ErrUnknownCountry, ErrNoSystem, ErrNotRated, ErrExempt, ErrUnknownValue} {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("error of no known kind: %v", err)
			}
			return
		}
		if r.MinAge < 0 || r.MinAge > 19 || r.Meaning == "" {
			t.Fatalf("implausible rating %+v", r)
		}
		if s, _ := SystemFor(country, Media(media)); s != r.System {
			t.Fatalf("answered by %s, country uses %s", r.System, s)
		}
		again, err := Lookup(r.System, r.Value)
		if err != nil || again != r {
			t.Fatalf("official spelling %q looks up as %+v, %v", r.Value, again, err)
		}
	})
}

// BenchmarkLookupCountry: one lookup per certification a title lists; a
// value late in a long table (NZ) and an unknown one that scans it all.
func BenchmarkLookupCountry(b *testing.B) {
	for _, value := range []string{"RP18", "MA15+", "unknown"} {
		b.Run(value, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = LookupCountry("NZ", Film, value)
			}
		})
	}
}
