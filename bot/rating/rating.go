// Package rating knows the official certification systems of the countries
// advisorybot serves and the age each certification implies.
//
// Values are spelled as TMDB writes them in release_dates[].certification
// (films) and content_ratings[].rating (shows). Anything this package does not
// recognise — an unknown country, a country without a system for the kind of
// title, an empty value, "NR", an exemption or an unknown value — is an error,
// and every error means "unknown": never an age, never safe. Media servers
// that mapped unknown ratings to "allowed" let adult titles past parental
// controls; this package has no such default.
package rating

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// System identifies a rating system: one board's scale for films, shows or
// both. The IDs are what curated reviews write in rating.system.
type System string

// Media tells which scale a country uses: films and shows are rated by
// different boards in many countries. The values match bot.MediaKind.
type Media string

// Media kinds.
const (
	Film Media = "film"
	Show Media = "show"
)

// FallbackCountry is whose certification stands in when a community's own
// country has none (see Choose).
const FallbackCountry = "US"

// Rating is one value of one system and what it means for ages.
type Rating struct {
	System System
	Value  string // the official spelling, as TMDB writes it
	// MinAge is the age the bot treats the value as implying: the youngest
	// age the board considers it suitable for without an adult's guidance or
	// company. Where a board names two ages (IFCO PG: "eight and over",
	// "guidance under 12") it is the higher; where a board names none
	// (MPAA PG, NZ PG) it is the bot's conservative choice, said in systems.go.
	MinAge int
	// Guidance is true for advisory values: the board does not bar younger
	// viewers but asks parents to judge (PG, 12A, AU PG and M, Kijkwijzer
	// 6-14). It is false for restricted values (15, R, MA 15+, FSK 12 ...)
	// and for all-ages values. Adult (18) values are never advisory.
	Guidance bool
	Meaning  string // the board's meaning, short
}

// Advisory reports whether the board leaves the decision below MinAge to
// parents rather than barring younger viewers; see Guidance.
func (r Rating) Advisory() bool { return r.Guidance }

// Errors. Every lookup error wraps exactly one of these; all of them mean the
// certification is unknown.
var (
	// ErrUnknownSystem: no such rating system.
	ErrUnknownSystem = errors.New("unknown rating system")
	// ErrUnknownCountry: no rating system is known for the country.
	ErrUnknownCountry = errors.New("unknown country")
	// ErrNoSystem: the country is known but has no system for this media
	// kind (TMDB lists no TV ratings for IE or JP).
	ErrNoSystem = errors.New("no rating system for this kind of title")
	// ErrNotRated: the value is empty or "NR" (TMDB's "no rating information").
	ErrNotRated = errors.New("not rated")
	// ErrExempt: the board exempted the title from classification; an
	// exemption implies no age.
	ErrExempt = errors.New("exempt from classification")
	// ErrUnknownValue: the system has no such value.
	ErrUnknownValue = errors.New("unknown rating value")
)

// lookupError carries a message for people and a sentinel for code.
type lookupError struct {
	kind error
	msg  string
}

func (e *lookupError) Error() string { return e.msg }
func (e *lookupError) Unwrap() error { return e.kind }

func fail(kind error, format string, args ...any) error {
	return &lookupError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// maxValueLen bounds what is worth comparing: the longest real value is
// "Restricted Screening". Longer input is unknown without further work.
const maxValueLen = 40

// Systems lists every known system in a stable order.
func Systems() []System { return slices.Sorted(maps.Keys(systems)) }

// Values lists the ratings of a system from youngest to oldest audience, in
// their official spelling. Aliases, "NR" and exemptions are not listed.
func Values(s System) []Rating {
	info, ok := systems[s]
	if !ok {
		return nil
	}
	out := make([]Rating, len(info.values))
	for i, v := range info.values {
		out[i] = v.rating(s)
	}
	return out
}

// Name is the system's name for people, e.g. "BBFC" or "Kijkwijzer (NL)";
// an unknown system is named by its ID.
func (s System) Name() string {
	if info, ok := systems[s]; ok {
		return info.name
	}
	return string(s)
}

// Country is the ISO 3166-1 code of the system's country, "" if unknown.
func (s System) Country() string { return systems[s].country }

// Lookup finds a value in a system. Systems compare case-insensitively;
// values also forgive case, spaces, hyphens and slashes ("pg13", "MA15+",
// "UA 7+") and a few documented aliases. The Rating returned carries the
// official spellings of both.
func Lookup(s System, value string) (Rating, error) {
	info, ok := systems[s]
	if !ok {
		for known, v := range systems {
			if strings.EqualFold(string(known), string(s)) {
				s, info, ok = known, v, true
				break
			}
		}
	}
	if !ok {
		return Rating{}, fail(ErrUnknownSystem, "unknown rating system %q (known: %s)", string(s), join(Systems()))
	}
	return info.lookup(s, value)
}

// LookupCountry finds a certification as TMDB lists it for a country: films
// in release_dates[].certification, shows in content_ratings[].rating.
// Countries are ISO 3166-1 codes in any case ("gb"); see Countries.
func LookupCountry(country string, media Media, value string) (Rating, error) {
	s, err := SystemFor(country, media)
	if err != nil {
		return Rating{}, err
	}
	return systems[s].lookup(s, value)
}

// SystemFor names the system a country uses for a media kind.
func SystemFor(country string, media Media) (System, error) {
	cs, ok := countries[strings.ToUpper(strings.TrimSpace(country))]
	if !ok {
		return "", fail(ErrUnknownCountry, "no rating system known for country %q (known: %s)", country, strings.Join(Countries(), ", "))
	}
	var s System
	switch media {
	case Film:
		s = cs.film
	case Show:
		s = cs.show
	default:
		return "", fail(ErrNoSystem, "unknown media kind %q (want %q or %q)", string(media), string(Film), string(Show))
	}
	if s == "" {
		return "", fail(ErrNoSystem, "no %s rating system known for %s", media, strings.ToUpper(strings.TrimSpace(country)))
	}
	return s, nil
}

// Countries lists the ISO 3166-1 codes the bot knows a rating system for,
// sorted: the valid values of a community's country setting.
func Countries() []string { return slices.Sorted(maps.Keys(countries)) }

// ParseCountry turns what an admin typed into a known country code: case
// and surrounding space are forgiven, and "UK" means GB (ISO 3166-1 has no
// UK, but people write it).
func ParseCountry(s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c == "UK" {
		c = "GB"
	}
	if _, ok := countries[c]; !ok {
		return "", fail(ErrUnknownCountry, "no rating system known for country %q (known: %s)", s, strings.Join(Countries(), ", "))
	}
	return c, nil
}

// Candidate is one certification a title database lists for a title.
type Candidate struct {
	Country string // ISO 3166-1
	Value   string
}

// Choice is the certification to judge a title by.
type Choice struct {
	Rating  Rating
	Country string // whose board gave Rating
	// Fallback is true when Country is FallbackCountry standing in for the
	// asked country, which had no usable certification: the reply must say
	// so ("no GB rating; US: PG-13").
	Fallback bool
	// Unusable lists the asked country's non-empty values that were passed
	// over (unknown spellings, exemptions), in order, so a reply can name them.
	Unusable []string
}

// ErrNoCertification: neither the asked country nor the fallback has a
// usable certification. It is "unknown", never "none".
var ErrNoCertification = errors.New("no usable certification")

// Choose picks the certification for a community in country: the first of
// that country's candidates (in the caller's order of preference, e.g.
// theatrical first) that is a known rating; else the first known
// FallbackCountry one, marked Fallback. An unknown country falls back too.
func Choose(country string, media Media, cands []Candidate) (Choice, error) {
	want := strings.ToUpper(strings.TrimSpace(country))
	var unusable []string
	for _, c := range cands {
		if !strings.EqualFold(strings.TrimSpace(c.Country), want) {
			continue
		}
		r, err := LookupCountry(want, media, c.Value)
		if err == nil {
			return Choice{Rating: r, Country: want, Unusable: unusable}, nil
		}
		if v := strings.TrimSpace(c.Value); !errors.Is(err, ErrNotRated) && v != "" && !slices.Contains(unusable, v) {
			unusable = append(unusable, v)
		}
	}
	if want != FallbackCountry {
		for _, c := range cands {
			if !strings.EqualFold(strings.TrimSpace(c.Country), FallbackCountry) {
				continue
			}
			if r, err := LookupCountry(FallbackCountry, media, c.Value); err == nil {
				return Choice{Rating: r, Country: FallbackCountry, Fallback: true, Unusable: unusable}, nil
			}
		}
	}
	msg := fmt.Sprintf("no usable %s %s certification", want, media)
	if want != FallbackCountry {
		msg = fmt.Sprintf("no usable %s or %s %s certification", want, FallbackCountry, media)
	}
	if len(unusable) > 0 {
		msg += fmt.Sprintf(" (%s lists %s)", want, quoteAll(unusable))
	}
	return Choice{Unusable: unusable}, fail(ErrNoCertification, "%s", msg)
}

// entry is one value of a system as the tables write it.
type entry struct {
	value    string
	minAge   int
	guidance bool
	meaning  string
	aliases  []string // other spellings of the same value, e.g. "Tous publics"
}

func (e entry) rating(s System) Rating {
	return Rating{System: s, Value: e.value, MinAge: e.minAge, Guidance: e.guidance, Meaning: e.meaning}
}

// systemInfo is one board's scale.
type systemInfo struct {
	name    string
	country string
	values  []entry
	exempt  []string // spellings meaning "exempt from classification"
}

func (info systemInfo) lookup(s System, value string) (Rating, error) {
	k := key(value)
	switch {
	case k == "":
		return Rating{}, fail(ErrNotRated, "unknown %s rating %q: no rating given", s, value)
	case len(strings.TrimSpace(value)) > maxValueLen:
		return Rating{}, fail(ErrUnknownValue, "unknown %s rating %.*q… (known: %s)", s, maxValueLen, value, info.known())
	case k == "NR":
		return Rating{}, fail(ErrNotRated, "unknown %s rating %q: not rated", s, value)
	}
	for _, e := range info.values {
		if key(e.value) == k || slices.ContainsFunc(e.aliases, func(a string) bool { return key(a) == k }) {
			return e.rating(s), nil
		}
	}
	if slices.ContainsFunc(info.exempt, func(a string) bool { return key(a) == k }) {
		return Rating{}, fail(ErrExempt, "unknown %s rating %q: exempt from classification, which implies no age", s, value)
	}
	return Rating{}, fail(ErrUnknownValue, "unknown %s rating %q (known: %s)", s, value, info.known())
}

func (info systemInfo) known() string {
	names := make([]string, len(info.values))
	for i, e := range info.values {
		names[i] = e.value
	}
	return strings.Join(names, ", ")
}

// key is the form values are compared in: upper case, without spaces,
// hyphens or slashes. Within a system no two values share a key (tested), so
// this forgives spelling without merging ratings: "PG13" is "PG-13", "MA15+"
// is "MA 15+", "UA 7+" is "U/A 7+", but "R13" is never "RP13" or "13+".
func key(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxValueLen {
		return s // compared with nothing; callers report it as too long
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '/', '\u00a0', '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func join(ss []System) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
