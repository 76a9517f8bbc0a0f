package bot

import (
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	v := vocab{}
	v.words("kid", "kid, kids, little ones")
	v.add("num", "seven=seven/7")
	tests := []struct {
		pattern, text string
		match         bool
	}{
		{"is/are it ok", "is it ok", true},
		{"is/are it ok", "was it ok", false},
		{"[the] movie", "movie", true},
		{"[the] movie", "the movie", true},
		{"(tell me|check) it", "tell me it", true},
		{"(tell me|check) it", "tell it", false},
		{"for {kid}", "for little ones", true},
		{"for {kid}", "for little", false},
		{"# year old", "-3 year old", true},
		{"## year olds", "6 , 9 and 12 year olds", true},
		{"## year olds", "6 9 year olds", false},
		{"#th birthday", "8th birthday", true},
		{"y / o", "y / o", true},
		{"\\( # \\)", "( 9 )", true},
		{"[{kid}] [ok]", "", true},
	}
	for _, tc := range tests {
		w := strings.Fields(tc.text)
		if got := matchAll(v.compile(tc.pattern), w, 0, len(w)); got != tc.match {
			t.Errorf("%q on %q: %t, want %t", tc.pattern, tc.text, got, tc.match)
		}
	}
}

// TestFrameMatch: a frame takes the most words it can, and never all of
// the text when it has a slot.
func TestFrameMatch(t *testing.T) {
	v := vocab{}
	v.words("topic", "language, bad language")
	tests := []struct {
		pattern, text string
		slot          string // "-" when the frame does not match
	}{
		{"how much {topic} is in *", "how much bad language is in Heat", "Heat"},
		{"* has {topic}", "Heat has bad language", "Heat"},
		{"* [too] [very] scary", "Jaws very scary", "Jaws"},
		{"is * ok", "is Safe ok", "Safe"},
		{"is * ok", "is ok", "-"},
		{"* ok", "ok", "-"},
		{"{topic}", "bad language", ""},
	}
	for _, tc := range tests {
		f := v.frame(tc.pattern, 0)
		w := strings.Fields(tc.text)
		rev := append([]string(nil), w...)
		for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
			rev[i], rev[j] = rev[j], rev[i]
		}
		from, to, ok := f.match(w, rev, nil)
		got := "-"
		if ok {
			got = strings.Join(w[from:to], " ")
		}
		if got != tc.slot {
			t.Errorf("%q on %q: slot %q, want %q", tc.pattern, tc.text, got, tc.slot)
		}
	}
}

// TestPatternMistakes: malformed patterns fail when the tables are built,
// never silently match nothing.
func TestPatternMistakes(t *testing.T) {
	v := vocab{}
	v.words("kid", "kid")
	for _, p := range []string{"[open", "(a|b", "a/{kid}", "a//b", "{nosuchclass}", "a ]", "* b *"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("pattern %q compiled", p)
				}
			}()
			v.frame(p, 0)
		}()
	}
}
