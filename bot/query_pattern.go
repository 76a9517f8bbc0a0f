package bot

import (
	"fmt"
	"slices"
	"strings"
)

// A pattern is a phrase over low tokens, written as words separated by spaces:
//
//	is/are        one word of several
//	[the movie]   optional
//	(tell me|check) one of several phrases
//	{topic}       any phrase of a vocabulary class
//	#             a number ("7", "seven", "-3"); ## a list of them ("7 and 10")
//	#th           an ordinal ("8th", "eighth")
//	?             any one word but "in" ("who plays ? in *": a character's name)
//
// Any other word is literal, punctuation included ("y / o"; a parenthesis
// is written \( or \)). A frame's pattern may also hold one *, the slot:
// what the frame leaves for the title ("how violent is *").
type seq []elem

type elemKind uint8

const (
	elWords elemKind = iota
	elOpt
	elAlt
	elClass
	elNum
	elNums
	elOrd
	elAny
)

type elem struct {
	kind  elemKind
	words []string
	opt   seq   // elOpt
	alts  []seq // elAlt
	class *class
	rev   bool // the class's phrases are matched backwards
}

// class is a vocabulary: phrases, each with an optional value (a topic, an
// age, a service's name).
type class struct {
	name    string
	phrases []phrase
	// fwd and rev index the phrases by the words they can start (or, read
	// backwards, end) with, so a class tries only the phrases that can match.
	fwd, rev index
}

// index maps a first word to the phrases that can start with it; open
// phrases (starting with a number, or able to match nothing) are always tried.
type index struct {
	byWord   map[string][]int
	open     []int
	nullable bool // some phrase can match no words
}

func (x *index) add(i int, s seq) {
	first, open := s.first()
	if open {
		x.open = append(x.open, i)
		x.nullable = x.nullable || s.nullable()
		return
	}
	if x.byWord == nil {
		x.byWord = map[string][]int{}
	}
	for _, w := range first {
		x.byWord[w] = append(x.byWord[w], i)
	}
}

// first lists the words s can start with; open when that cannot be listed
// (a number first, or s can match nothing).
func (s seq) first() (words []string, open bool) {
	for _, e := range s {
		switch e.kind {
		case elWords:
			return append(words, e.words...), false
		case elOpt:
			w, o := e.opt.first()
			if o {
				return nil, true
			}
			words = append(words, w...)
			continue
		case elAlt:
			nullable := false
			for _, a := range e.alts {
				w, o := a.first()
				if o && !a.nullable() {
					return nil, true
				}
				words = append(words, w...)
				nullable = nullable || a.nullable()
			}
			if nullable {
				continue
			}
			return words, false
		case elClass:
			x := &e.class.fwd
			if e.rev {
				x = &e.class.rev
			}
			if len(x.open) > 0 {
				return nil, true
			}
			for w := range x.byWord {
				words = append(words, w)
			}
			return words, false
		default:
			return nil, true
		}
	}
	return nil, true // s can match nothing
}

// nullable reports whether s can match no words.
func (s seq) nullable() bool {
	for _, e := range s {
		switch e.kind {
		case elOpt:
			continue
		case elAlt:
			if !slices.ContainsFunc(e.alts, seq.nullable) {
				return false
			}
		case elClass:
			x := e.class.fwd
			if e.rev {
				x = e.class.rev
			}
			if !x.nullable {
				return false
			}
		default:
			return false
		}
	}
	return true
}

type phrase struct {
	fwd, rev seq
	value    string
}

// vocab holds the classes patterns refer to by name.
type vocab map[string]*class

// add defines a class from patterns; each may start with "value=".
func (v vocab) add(name string, patterns ...string) {
	c := v[name]
	if c == nil {
		c = &class{name: name}
		v[name] = c
	}
	for _, p := range patterns {
		value, rest, ok := strings.Cut(p, "=")
		if ok {
			p = rest
		} else {
			value = ""
		}
		c.addPhrase(phrase{fwd: v.compile(p), value: value})
	}
}

func (c *class) addPhrase(ph phrase) {
	ph.rev = ph.fwd.reversed()
	c.phrases = append(c.phrases, ph)
	c.fwd.add(len(c.phrases)-1, ph.fwd)
	c.rev.add(len(c.phrases)-1, ph.rev)
}

// at is the first phrase of c (in c's order) that matches at w[i], and
// where its longest match ends; nil if none does.
func (c *class) at(w []string, i int) (*phrase, int) {
	var byWord []int
	if i < len(w) {
		byWord = c.fwd.byWord[w[i]]
	}
	best, bestEnd := -1, -1
	for _, list := range [2][]int{byWord, c.fwd.open} {
		for _, pi := range list {
			if best >= 0 && pi > best {
				continue
			}
			if e, _, _ := longest(c.phrases[pi].fwd, w, i); e > i {
				best, bestEnd = pi, e
			}
		}
	}
	if best < 0 {
		return nil, -1
	}
	return &c.phrases[best], bestEnd
}

// find is the first phrase of c in w, and where it ends.
func (c *class) find(w []string) (*phrase, int) {
	for i := range w {
		if ph, e := c.at(w, i); ph != nil {
			return ph, e
		}
	}
	return nil, -1
}

// words adds one-word (or literal several-word) phrases from a list, one per line or comma.
func (v vocab) words(name, list string) {
	var ps []string
	for _, line := range strings.FieldsFunc(list, func(r rune) bool { return r == '\n' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			ps = append(ps, line)
		}
	}
	v.add(name, ps...)
}

// compile turns a pattern without a slot into a seq; it panics on a
// malformed pattern, which is a programming error found by any test.
func (v vocab) compile(p string) seq {
	var lex []string
	for _, w := range strings.Fields(p) {
		if w == `\(` || w == `\)` {
			lex = append(lex, w[1:]+"lit")
			continue
		}
		lex = append(lex, strings.Fields(strings.NewReplacer("[", " [ ", "]", " ] ", "(", " ( ", ")", " ) ", "|", " | ").Replace(w))...)
	}
	s, rest := v.parse(lex, p)
	if len(rest) > 0 {
		panic(fmt.Sprintf("pattern %q: unexpected %q", p, rest[0]))
	}
	return s
}

// parse reads a seq up to a closing "]", ")" or "|", which it leaves in rest.
func (v vocab) parse(lex []string, p string) (s seq, rest []string) {
	for len(lex) > 0 {
		w := lex[0]
		switch w {
		case "]", ")", "|":
			return s, lex
		case "[":
			inner, r := v.parse(lex[1:], p)
			if len(r) == 0 || r[0] != "]" {
				panic(fmt.Sprintf("pattern %q: unclosed [", p))
			}
			lex = r[1:]
			s = append(s, elem{kind: elOpt, opt: inner})
			continue
		case "(":
			var alts []seq
			r := lex
			for len(r) > 0 && (r[0] == "(" || r[0] == "|") {
				var alt seq
				alt, r = v.parse(r[1:], p)
				alts = append(alts, alt)
			}
			if len(r) == 0 || r[0] != ")" {
				panic(fmt.Sprintf("pattern %q: unclosed (", p))
			}
			lex = r[1:]
			s = append(s, elem{kind: elAlt, alts: alts})
			continue
		}
		lex = lex[1:]
		switch {
		case w == "(lit" || w == ")lit":
			s = append(s, elem{kind: elWords, words: []string{w[:1]}})
		case w == "#":
			s = append(s, elem{kind: elNum})
		case w == "##":
			s = append(s, elem{kind: elNums})
		case w == "#th":
			s = append(s, elem{kind: elOrd})
		case w == "?":
			s = append(s, elem{kind: elAny})
		case strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}"):
			c := v[w[1:len(w)-1]]
			if c == nil {
				panic(fmt.Sprintf("pattern %q: no class %s", p, w))
			}
			s = append(s, elem{kind: elClass, class: c})
		case w == "/":
			s = append(s, elem{kind: elWords, words: []string{"/"}})
		default:
			alts := strings.Split(w, "/")
			if slices.Contains(alts, "") || len(alts) > 1 && strings.ContainsAny(w, "{}#") {
				panic(fmt.Sprintf("pattern %q: empty alternative in %q", p, w))
			}
			s = append(s, elem{kind: elWords, words: alts})
		}
	}
	return s, nil
}

// reversed is s read backwards, for matching at the end of a question.
func (s seq) reversed() seq {
	out := make(seq, len(s))
	for i, e := range s {
		switch e.kind {
		case elOpt:
			e.opt = e.opt.reversed()
		case elAlt:
			alts := make([]seq, len(e.alts))
			for j, a := range e.alts {
				alts[j] = a.reversed()
			}
			e.alts = alts
		case elClass:
			e.rev = !e.rev
		}
		out[len(s)-1-i] = e
	}
	return out
}

// matcher runs seqs over words, backtracking. nums collects the positions
// of the words # and ## matched (forward matching only).
type matcher struct {
	w    []string
	nums []int
	ords []int
}

// run matches s at w[i:], calling k with each position the match can end
// at until k returns true.
func (m *matcher) run(s seq, i int, k func(int) bool) bool {
	if len(s) == 0 {
		return k(i)
	}
	e, rest := s[0], s[1:]
	next := func(j int) bool { return m.run(rest, j, k) }
	switch e.kind {
	case elWords:
		if i < len(m.w) && slices.Contains(e.words, m.w[i]) {
			return next(i + 1)
		}
	case elOpt:
		return m.run(e.opt, i, next) || next(i)
	case elAlt:
		for _, a := range e.alts {
			if m.run(a, i, next) {
				return true
			}
		}
	case elClass:
		x := &e.class.fwd
		if e.rev {
			x = &e.class.rev
		}
		var byWord []int
		if i < len(m.w) {
			byWord = x.byWord[m.w[i]]
		}
		for _, list := range [2][]int{byWord, x.open} {
			for _, pi := range list {
				p := &e.class.phrases[pi]
				ps := p.fwd
				if e.rev {
					ps = p.rev
				}
				if m.run(ps, i, next) {
					return true
				}
			}
		}
	case elNum, elOrd:
		if i >= len(m.w) {
			return false
		}
		ok := false
		if e.kind == elNum {
			_, ok = isNumber(m.w[i])
		} else {
			_, ok = ordinal(m.w[i])
		}
		if !ok {
			return false
		}
		list := &m.nums
		if e.kind == elOrd {
			list = &m.ords
		}
		n := len(*list)
		*list = append(*list, i)
		if next(i + 1) {
			return true
		}
		*list = (*list)[:n]
	case elNums:
		return m.numList(i, 0, next)
	case elAny:
		if i < len(m.w) && m.w[i] != "in" && strings.IndexFunc(m.w[i], isWordRune) >= 0 {
			return next(i + 1)
		}
	}
	return false
}

// numList matches "7", "7 and 10", "6, 9 and 12", "8 & 11": count numbers so far.
func (m *matcher) numList(i, count int, k func(int) bool) bool {
	if i >= len(m.w) {
		return false
	}
	if _, ok := isNumber(m.w[i]); !ok {
		return false
	}
	n := len(m.nums)
	m.nums = append(m.nums, i)
	j := i + 1
	// Another number after a joiner: the longest list first.
	for _, join := range numJoins {
		if j+len(join) < len(m.w) && slices.Equal(m.w[j:j+len(join)], join) && m.numList(j+len(join), count+1, k) {
			return true
		}
	}
	if k(j) {
		return true
	}
	m.nums = m.nums[:n]
	return false
}

// numJoins join the numbers of a list: "6 and 9", "a 6 and a 9 year old".
var numJoins = [][]string{{","}, {"and"}, {"&"}, {"or"}, {",", "and"}, {"-"}, {"to"}, {"and", "a"}, {"and", "an"},
	{"&", "a"}, {"&", "an"}, {",", "a"}, {",", "an"}, {"or", "a"}, {"or", "an"}}

// ends lists every position s can end at when it starts at w[i].
func ends(s seq, w []string, i int) []int {
	m := matcher{w: w}
	var out []int
	m.run(s, i, func(j int) bool {
		if !slices.Contains(out, j) {
			out = append(out, j)
		}
		return false
	})
	return out
}

// matchAll reports whether s matches exactly w[i:j].
func matchAll(s seq, w []string, i, j int) bool {
	m := matcher{w: w[:j]}
	return m.run(s, i, func(e int) bool { return e == j })
}

// longest is the end of the longest match of s at w[i], or -1; nums and ords
// are the positions its numbers matched at.
func longest(s seq, w []string, i int) (end int, nums, ords []int) {
	m := matcher{w: w}
	end = -1
	m.run(s, i, func(j int) bool {
		if j > end {
			end, nums, ords = j, slices.Clone(m.nums), slices.Clone(m.ords)
		}
		return false
	})
	return end, nums, ords
}
