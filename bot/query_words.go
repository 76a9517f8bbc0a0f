package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word or punctuation mark of a question.
type token struct {
	text string // as written
	// low is what frames match: lower-cased, typographic apostrophes
	// straightened. A lone capital R, G, M, U or X keeps its case, so "is
	// Ballerina R?" reads as a rating but a lower-case "r" never does.
	low        string
	start, end int // byte offsets in the question
	idx        int // position in the question's tokens
	// possessive is a word parted from its "'s" (the next token): "Frozen's rating".
	possessive bool
}

// ageSuffixes are what may follow digits in one word and still be read
// apart: "6yo", "12yr", "10s".
var ageSuffixes = map[string]bool{"yo": true, "yos": true, "yr": true, "yrs": true, "y": true, "s": true,
	"year": true, "years": true, "yrold": true}

// tokenize splits a question into words and punctuation. A hyphen inside a
// word ("Spider-Man", "6-year-old", "PG-13") separates words without being a
// token; one standing apart ("Heat - is it ok") is a token. An apostrophe
// inside a word ("Ocean's") belongs to it; at a word's edge it is a quote.
// A minus sign on a number ("-3") stays on it.
func tokenize(s string) []token {
	var toks []token
	start := -1 // start of the word being read
	flush := func(end int) {
		if start >= 0 {
			toks = appendWord(toks, s, start, end)
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0 && unicode.IsLetter(next):
			// inside a word
		case r == '-' && start >= 0 && isWordRune(next) && !(unicode.IsDigit(next) && isDigitsOnly(s[start:i])):
			flush(i) // "Spider-Man": two words, no token; "6-8" keeps its dash
		case r == '-' && start < 0 && unicode.IsDigit(next) && (i == 0 || s[i-1] == ' '):
			start = i // "-3"
		case unicode.IsSpace(r):
			flush(i)
		default:
			flush(i)
			low := string(r)
			switch r {
			case '’', '‘':
				low = "'"
			case '–', '—', '‐', '‑', '−':
				low = "-"
			}
			toks = append(toks, token{text: s[i : i+size], low: low, start: i, end: i + size})
		}
		i += size
	}
	flush(len(s))
	for i := range toks {
		toks[i].idx = i
	}
	return toks
}

// appendWord appends the word s[start:end], split in two when it is digits
// followed by an age suffix ("6yo").
func appendWord(toks []token, s string, start, end int) []token {
	w := s[start:end]
	digits := 0
	for digits < len(w) && (w[digits] >= '0' && w[digits] <= '9' || digits == 0 && w[0] == '-') {
		digits++
	}
	if digits > 0 && digits < len(w) && ageSuffixes[strings.ToLower(w[digits:])] {
		toks = append(toks, newToken(s, start, start+digits))
		return append(toks, newToken(s, start+digits, end))
	}
	return append(toks, newToken(s, start, end))
}

func newToken(s string, start, end int) token {
	text := s[start:end]
	low := strings.ToLower(text)
	if strings.ContainsRune(low, '’') {
		low = strings.ReplaceAll(low, "’", "'")
	}
	switch text {
	case "R", "G", "M", "U", "X":
		low = text
	}
	return token{text: text, low: low, start: start, end: end}
}

func isDigitsOnly(w string) bool {
	return w != "" && strings.Trim(w, "0123456789") == ""
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isNumber reports whether a low token is a number of at most three digits
// (with an optional minus) or a number word, and its value.
func isNumber(w string) (int, bool) {
	if n, ok := numberWords[w]; ok {
		return n, true
	}
	digits := strings.TrimPrefix(w, "-")
	if digits == "" || len(digits) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if len(digits) < len(w) {
		n = -n
	}
	return n, true
}

// numberWords are the ages people write out.
var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}

// ordinal reads "8th", "eighth" as 8.
func ordinal(w string) (int, bool) {
	if n, ok := ordinalWords[w]; ok {
		return n, true
	}
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if d, ok := strings.CutSuffix(w, suffix); ok && d != "" && !strings.HasPrefix(d, "-") {
			if n, ok := isNumber(d); ok && n < 100 {
				return n, true
			}
		}
	}
	return 0, false
}

var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
}

// lows is the low form of each token.
func lows(toks []token) []string {
	w := make([]string, len(toks))
	for i, t := range toks {
		w[i] = t.low
	}
	return w
}

// capitalised reports whether a token starts with an upper-case letter or a digit.
func capitalised(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// hasLetter reports whether a token holds a letter.
func hasLetter(t token) bool {
	return strings.IndexFunc(t.text, unicode.IsLetter) >= 0
}

// isPunct reports whether a token is punctuation (no letter or digit).
func isPunct(t token) bool {
	return strings.IndexFunc(t.text, isWordRune) < 0
}
