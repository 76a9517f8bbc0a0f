package search

import (
	"strings"
	"testing"
	"unicode"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lower case", "BALLERINA", "ballerina"},
		{"mixed case", "BaLLeRiNa", "ballerina"},
		{"accents folded", "Amélie", "amelie"},
		{"accents upper case", "AMÉLIE", "amelie"},
		{"several accents", "Les Misérables", "les miserables"},
		{"ligature and eszett", "Œdipus Straße", "oedipus strasse"},
		{"combining accent dropped", "Ame\u0301lie", "amelie"},
		{"punctuation dropped", "Leap!", "leap"},
		{"inner punctuation is a space", "Spider-Man: No Way Home", "spider man no way home"},
		{"ellipsis is a space", "Hush…Hush, Sweet Charlotte", "hush hush sweet charlotte"},
		{"en dash is a space", "Danger – Love at Work", "danger love at work"},
		{"repeated and outer spaces collapse", "  Toy   Story  ", "toy story"},
		{"ampersand is and", "Tom & Jerry", "tom and jerry"},
		{"ampersand without spaces", "Tom&Jerry", "tom and jerry"},
		{"and stays and", "Tom and Jerry", "tom and jerry"},
		{"leading The", "The Lion King", "lion king"},
		{"trailing , The", "Lion King, The", "lion king"},
		{"no article", "lion king", "lion king"},
		{"leading A", "A Quiet Place", "quiet place"},
		{"leading An", "An American Tail", "american tail"},
		{"trailing , A", "Quiet Place, A", "quiet place"},
		{"trailing , An", "American Tail, An", "american tail"},
		{"article inside kept", "Beauty and the Beast", "beauty and the beast"},
		{"article alone kept", "The", "the"},
		{"single letter A kept", "A", "a"},
		{"word starting with the kept", "Theodora", "theodora"},
		{"word starting with a kept", "Avatar", "avatar"},
		// A trailing article without the comma is part of the title:
		// "Easy A" must not become "easy" and collide with "Easy".
		{"letter grade kept", "Easy A", "easy a"},
		{"trailing A kept", "Boy A", "boy a"},
		{"avenue A kept", "The Prince of Avenue A", "prince of avenue a"},
		{"apostrophe joins", "Don't Look Up", "dont look up"},
		{"curly apostrophe joins", "Schindler’s List", "schindlers list"},
		{"left quote joins", "‘Salem's Lot", "salems lot"},
		{"backtick joins", "Rock `n Roll", "rock n roll"},
		{"digits kept", "2001: A Space Odyssey", "2001 a space odyssey"},
		{"non-latin letters lower cased", "Ωmega", "ωmega"},
		{"empty", "", ""},
		{"only punctuation", "?!...", ""},
		{"only spaces", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeSameKey checks that the forms users actually type share a key.
func TestNormalizeSameKey(t *testing.T) {
	groups := [][]string{
		{"The Lion King", "Lion King, The", "lion king", "THE LION KING", "the lion king!", "Lion King,The"},
		{"A Quiet Place", "Quiet Place, A", "quiet place", "a quiet place"},
		{"Amélie", "Amelie", "AMELIE", "amélie"},
		{"Tom & Jerry", "Tom and Jerry", "tom&jerry"},
		{"Schindler's List", "Schindlers List", "Schindler’s List"},
	}
	for _, g := range groups {
		want := Normalize(g[0])
		for _, in := range g[1:] {
			if got := Normalize(in); got != want {
				t.Errorf("Normalize(%q) = %q, want %q (as for %q)", in, got, want, g[0])
			}
		}
	}
}

// checkKey asserts the invariants every search key has.
func checkKey(t *testing.T, in, key string) {
	t.Helper()
	if strings.HasPrefix(key, " ") || strings.HasSuffix(key, " ") || strings.Contains(key, "  ") {
		t.Errorf("Normalize(%q) = %q: stray spaces", in, key)
	}
	for _, r := range key {
		if r == ' ' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			continue
		}
		if r < 0x80 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.ToLower(r) != r {
			t.Errorf("Normalize(%q) = %q: unexpected rune %q", in, key, r)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"The Lion King", "Lion King, The", "Amélie", "Tom & Jerry", "Don't", "A", ", The", "Ame\u0301lie", "\xff\xfe", "İstanbul", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key := Normalize(s)
		checkKey(t, s, key)
		if Normalize(strings.ToUpper(s)) != Normalize(strings.ToLower(s)) && isASCII(s) {
			t.Errorf("Normalize(%q) depends on ASCII case", s)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
