package discord

import "testing"

// TestCustomIDUpstreamTitles: a TMDB title's id holds colons
// ("tmdb:show:900201"); its buttons must still be read back.
func TestCustomIDUpstreamTitles(t *testing.T) {
	for _, c := range []customID{
		{Action: actionPick, ID: "tmdb:show:900201"},
		{Action: actionPick, ID: "tmdb:film:900101", Age: 8, Topic: "violence"},
		{Action: actionShare, ID: "tmdb:film:1", Age: 12},
	} {
		got, err := parseCustomID(c.String())
		if err != nil || got != c {
			t.Errorf("parse(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
	}
	for _, s := range []string{"adv:pick:tmdb::film:1::", "adv:pick::tmdb:1::", "adv:pick:tmdb:film::8:", "adv:pick:tmdb:film:1:x:"} {
		if c, err := parseCustomID(s); err == nil {
			t.Errorf("parse(%q) = %+v, want an error", s, c)
		}
	}
}
