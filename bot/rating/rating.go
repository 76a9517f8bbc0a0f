// Package rating knows the official rating systems and the age each rating implies.
package rating

import (
	"fmt"
	"sort"
	"strings"
)

// System identifies a rating system.
type System string

// The systems advisorybot understands. TV-MA and friends come from the
// TV Parental Guidelines, not from the MPAA, so they are a system of their own.
const (
	MPAA System = "MPAA"  // US film ratings (Motion Picture Association)
	USTV System = "US-TV" // TV Parental Guidelines
)

// Rating is one value of one system and what it means for ages.
type Rating struct {
	System System
	Value  string
	// MinAge is the youngest age the rating body considers appropriate
	// without parental guidance.
	MinAge int
	// Guidance is true when the rating body asks parents to judge
	// (PG, PG-13, TV-PG, TV-14) rather than barring an age outright.
	Guidance bool
	Meaning  string
}

// table is small and fixed: a map literal keeps lookups O(1) without an init().
var table = map[System][]Rating{
	MPAA: {
		{MPAA, "G", 0, false, "General audiences: all ages admitted"},
		{MPAA, "PG", 8, true, "Parental guidance suggested: some material may not be suitable for children"},
		{MPAA, "PG-13", 13, true, "Parents strongly cautioned: some material may be inappropriate for children under 13"},
		{MPAA, "R", 17, false, "Restricted: under 17 requires an accompanying parent or adult guardian"},
		{MPAA, "NC-17", 18, false, "Adults only: no one 17 and under admitted"},
	},
	USTV: {
		{USTV, "TV-Y", 0, false, "All children"},
		{USTV, "TV-Y7", 7, false, "Directed to children 7 and older"},
		{USTV, "TV-G", 0, false, "General audience"},
		{USTV, "TV-PG", 10, true, "Parental guidance suggested"},
		{USTV, "TV-14", 14, true, "Parents strongly cautioned: may be unsuitable for children under 14"},
		{USTV, "TV-MA", 17, false, "Mature audience only: may be unsuitable for children under 17"},
	},
}

// Systems lists the known systems in a stable order.
func Systems() []System {
	out := make([]System, 0, len(table))
	for s := range table {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Values lists the ratings of a system, from youngest to oldest audience.
func Values(s System) []Rating {
	return append([]Rating(nil), table[s]...)
}

// Lookup finds a rating; systems and values compare case-insensitively
// ("us-tv", "tv-ma"), and the Rating returned carries the official spelling.
func Lookup(s System, value string) (Rating, error) {
	values, ok := table[s]
	if !ok {
		for known, v := range table {
			if strings.EqualFold(string(known), string(s)) {
				values, ok = v, true
				break
			}
		}
	}
	if !ok {
		return Rating{}, fmt.Errorf("unknown rating system %q (known: %s)", s, joinSystems())
	}
	for _, r := range values {
		if strings.EqualFold(r.Value, value) {
			return r, nil
		}
	}
	names := make([]string, len(values))
	for i, r := range values {
		names[i] = r.Value
	}
	return Rating{}, fmt.Errorf("unknown %s rating %q (known: %s)", values[0].System, value, strings.Join(names, ", "))
}

func joinSystems() string {
	ss := Systems()
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
