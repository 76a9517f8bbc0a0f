package bot

import (
	"slices"
	"strings"
)

// agePhrase is one way of saying a child's age, with the words that lead
// into it ("for my"), so that taking it out leaves the rest of the question.
type agePhrase struct {
	seq    seq
	offset int             // added to the number: "under 13" means 12
	pair   bool            // only with two numbers or more: "(7 and 10)"
	end    bool            // only at the end of the question, in digits: "too scary for 8"
	digits bool            // only with its numbers in digits
	first  bool            // only its first number is an age: "2.5 year old"
	months bool            // its number counts months: "an 18 month old" is 1
	firsts map[string]bool // the words it can start with; nil: any
}

var agePhrases = func() []agePhrase {
	ps := agePhraseList()
	for i := range ps {
		ps[i].firsts = firstSet(ps[i].seq)
	}
	return ps
}()

func agePhraseList() []agePhrase {
	v := words
	p := func(pattern string, offset int) agePhrase { return agePhrase{seq: v.compile(pattern), offset: offset} }
	return []agePhrase{
		// "my kids are 7 and 10", "my daughter is 9", "he's 8", "my son turns 8".
		p("[my/our] [little/eldest/oldest/youngest/younger/older/middle] ({kid}|{kids}) [just/only/recently/finally/soon] is/are/turns/turned/turning/will [(only|just|now|turning|about to be|almost|be|turn)] ## [{years}] [,/;/./:/-]", 0),
		p("[my/our] [little/eldest/oldest/youngest/younger/older/middle] {possessive} [(only|just|almost)] ## [{years}] [,/;/./:/-]", 0),
		p("(he is|she is|he's|she's|hes|shes|they are|they're|theyre|who is|who's|whos|who are) [(only|just|now|almost)] ## [{years}] [,/;/./:/-]", 0),
		// "my 7 and 10 year olds", "a 12 year old and a 6 year old", "a class of 8 year olds".
		p("{agelead} [{kid} [(who is|who's|that is|aged|age|of)]] [{kid} of] ## [(and a half|½)] ({unit}|year {kid}) [{kid}]", 0),
		p("{agelead} [{kid}] aged/age/ages [:] ## [(and up|and over|and older|and above|plus|+)]", 0),
		p("{agelead} [{kid}] # +", 0),
		// "a 2.5 year old": the years begun.
		{seq: v.compile("{agelead} # . # {unit} [{kid}]"), first: true, digits: true},
		// "an 18 month old": at least a year, for no one is 0.
		{seq: v.compile("{agelead} # month/months/mo/mos [old/olds] [{kid}]"), months: true, digits: true},
		// "under 10", "kids under ten"; "Under Two Flags" is a film.
		{seq: v.compile("{agelead} (under|below|younger than|less than) # [(s|yo|{unit})]"), offset: -1, digits: true},
		p("{agelead} {kid} (under|below|younger than|less than) # [(s|yo|{unit})]", -1),
		{seq: v.compile("(for|with) (over|older than|above) # [(s|yo|{unit})]"), offset: 1, digits: true},
		p("(for|with) {kid} (over|older than|above) # [(s|yo|{unit})]", 1),
		p("(for|to) ages # (and up|and over|and older|plus)", 0),
		p("for/to [{kid}] # (and up|and over|and older|and above|plus)", 0),
		p("{kid} # (and up|and over|and older|and above|plus)", 0),
		// "for 3rd graders": the youngest children of that grade.
		// ("Eighth Grade" alone is a film.)
		p("(for|in|with|to|my|our|a|an|his|her|their|your) [my/our/a/an/your/his/her/their] [{possessive}] #th (grade|grader|graders|grade class|grade students|grade classroom)", 5),
		p("(for|with|to) [my/our/a/an/your/his/her/their/the] (class|classroom|group|bunch|room) of #th (graders|grade students|grade kids)", 5),
		// "my two (7 and 10)", "our kids, 6 and 9".
		{seq: v.compile("{agelead} [my/our] {kids} [,/:] \\( ## \\)"), pair: true},
		{seq: v.compile("{agelead} [my/our] {kids} , ##"), pair: true},
		{seq: v.compile("\\( ## \\)"), pair: true},
		p("[my/our] [little/eldest/oldest/youngest/younger/older/middle] {kid} \\( # \\)", 0),
		// "for my son's 8th birthday": the age they are turning.
		p("[(for|at) [the]] [my/our/a/an/your/his/her/their] [{possessive}] #th birthday [party/sleepover/celebration]", 0),
		// "too scary for 8", "ok for 10s": a bare number after "for" ends the question.
		{seq: v.compile("for [a/an] # [s]"), end: true},
	}
}

// maxAgeLead is the most words an age phrase has before its first number:
// "for my little son who is 9".
const maxAgeLead = 7

// ageReading is what the ages in a question say.
type ageReading struct {
	ages     []int // usable ages
	rejected []int // impossible ones: 0, negative, over maxAge
}

// extractAges takes the age phrases out of toks and returns the rest.
func extractAges(toks []token, allCaps bool) ([]token, ageReading) {
	var r ageReading
	w := lows(toks)
	// An age phrase holds a number, a few words after its start at most.
	nextNumber := make([]int, len(w)+1)
	nextNumber[len(w)] = len(w) + maxAgeLead
	for i := len(w) - 1; i >= 0; i-- {
		nextNumber[i] = nextNumber[i+1]
		_, num := isNumber(w[i])
		_, ord := ordinal(w[i])
		if num || ord {
			nextNumber[i] = i
		}
	}
	var kept []token
	for i := 0; i < len(toks); {
		if nextNumber[i]-i > maxAgeLead {
			kept = append(kept, toks[i])
			i++
			continue
		}
		end, nums := -1, []int(nil)
		for _, a := range agePhrases {
			if a.firsts != nil && !a.firsts[w[i]] {
				continue // it cannot start here
			}
			e, ns, ords := longest(a.seq, w, i)
			if e <= i || a.pair && len(ns) < 2 || a.end && !endsQuestion(toks, e) {
				continue
			}
			if (a.end || a.digits) && !isDigits(strings.TrimPrefix(w[ns[0]], "-")) {
				continue // "Tea for Two" is a film
			}
			if !realAge(toks, i, e, slices.Concat(ns, ords), allCaps) {
				continue
			}
			var values []int
			for _, n := range ns {
				v, _ := isNumber(w[n])
				if a.months {
					v = max(v/12, 1)
				}
				values = append(values, v+a.offset)
				if a.first {
					break
				}
			}
			for _, o := range ords {
				v, _ := ordinal(w[o])
				values = append(values, v+a.offset)
			}
			if len(values) == 0 {
				continue
			}
			end, nums = e, values
			break
		}
		if end < 0 {
			kept = append(kept, toks[i])
			i++
			continue
		}
		for _, n := range nums {
			if n >= minAge && n <= maxAge {
				r.ages = append(r.ages, n)
			} else {
				r.rejected = append(r.rejected, n)
			}
		}
		i = end
	}
	return kept, r
}

// realAge rejects a match that is part of a title: "The 40-Year-Old
// Virgin" (after "the", or with its unit capitalised).
func realAge(toks []token, start, end int, nums []int, allCaps bool) bool {
	if len(nums) == 0 {
		return true
	}
	first := nums[0]
	if first == start && start > 0 && toks[start-1].low == "the" {
		return false
	}
	if !allCaps {
		for i := nums[len(nums)-1] + 1; i < end; i++ {
			if toks[i].low == "year" || toks[i].low == "years" || toks[i].low == "grade" || toks[i].low == "months" || toks[i].low == "month" {
				return !capitalised(toks[i]) // "The 40-Year-Old Virgin", "Eighth Grade"
			}
		}
	}
	return true
}

// endsQuestion reports whether nothing but punctuation follows toks[i:].
func endsQuestion(toks []token, i int) bool {
	for ; i < len(toks); i++ {
		if !isPunct(toks[i]) {
			return false
		}
	}
	return true
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}
