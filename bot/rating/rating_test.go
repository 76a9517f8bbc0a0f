package rating

import (
	"slices"
	"strings"
	"testing"
)

func TestLookupAges(t *testing.T) {
	tests := []struct {
		system   System
		value    string
		minAge   int
		guidance bool
	}{
		{MPAA, "G", 0, false},
		{MPAA, "PG", 8, true},
		{MPAA, "PG-13", 13, true},
		{MPAA, "R", 17, false},
		{MPAA, "NC-17", 18, false},
		{USTV, "TV-Y", 0, false},
		{USTV, "TV-Y7", 7, false},
		{USTV, "TV-G", 0, false},
		{USTV, "TV-PG", 10, true},
		{USTV, "TV-14", 14, true},
		{USTV, "TV-MA", 17, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.system)+"/"+tt.value, func(t *testing.T) {
			r, err := Lookup(tt.system, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if r.MinAge != tt.minAge || r.Guidance != tt.guidance {
				t.Errorf("Lookup(%s, %s) = age %d guidance %v, want %d %v", tt.system, tt.value, r.MinAge, r.Guidance, tt.minAge, tt.guidance)
			}
			if r.System != tt.system || r.Value != tt.value || r.Meaning == "" {
				t.Errorf("Lookup(%s, %s) = %+v", tt.system, tt.value, r)
			}
		})
	}
	// The table above is every value of every system: nothing undocumented.
	n := 0
	for _, s := range Systems() {
		n += len(Values(s))
	}
	if n != len(tests) {
		t.Errorf("%d ratings known, %d documented here", n, len(tests))
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
		want   []string // in the message
	}{
		{"BBFCX", "15", []string{`unknown rating system "BBFCX"`, "MPAA", "US-TV"}},
		{"", "PG", []string{`unknown rating system ""`}},
		{"MPAA", "TV-MA", []string{`unknown MPAA rating "TV-MA"`, "G, PG, PG-13, R, NC-17"}},
		{"US-TV", "TV-QQ", []string{`unknown US-TV rating "TV-QQ"`, "TV-Y, TV-Y7, TV-G, TV-PG, TV-14, TV-MA"}},
		{"us-tv", "PG", []string{`unknown US-TV rating "PG"`}},
		{"MPAA", "", []string{`unknown MPAA rating ""`}},
		{"MPAA", "PG ", []string{`unknown MPAA rating "PG "`}},
		{"MPAA", "PG13", []string{`unknown MPAA rating "PG13"`}},
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
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Lookup(%q, %q) error %q lacks %q", tt.system, tt.value, err, w)
			}
		}
	}
}

func TestSystemsAndValues(t *testing.T) {
	if got := Systems(); !slices.Equal(got, []System{MPAA, USTV}) {
		t.Errorf("Systems() = %v", got)
	}
	// Values are listed in the official order, youngest audience first.
	wantOrder := map[System][]string{
		MPAA: {"G", "PG", "PG-13", "R", "NC-17"},
		USTV: {"TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14", "TV-MA"},
	}
	for s, want := range wantOrder {
		var got []string
		for _, r := range Values(s) {
			got = append(got, r.Value)
			if r.System != s {
				t.Errorf("%s lists %s of system %s", s, r.Value, r.System)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Values(%s) = %v, want %v", s, got, want)
		}
	}
	if v := Values("BBFC"); len(v) != 0 {
		t.Errorf("Values(BBFC) = %v", v)
	}
	// Values returns a copy: callers cannot change the table.
	v := Values(MPAA)
	v[0].MinAge = 99
	if r, _ := Lookup(MPAA, "G"); r.MinAge != 0 {
		t.Errorf("mutating Values changed the table: G is now %d", r.MinAge)
	}
}
