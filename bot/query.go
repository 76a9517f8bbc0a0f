package bot

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"advisorybot/bot/catalog"
)

// Intent is what the user wants.
type Intent string

// Intents.
const (
	IntentAdvisory    Intent = "advisory"     // tell me about a title
	IntentFamilyCheck Intent = "family_check" // is it OK for a child / the family
	IntentTopic       Intent = "topic"        // one category: "how much swearing"
	IntentFact        Intent = "fact"         // a fact about the title: Query.Fact
	IntentHelp        Intent = "help"
)

// Fact is a fact about a title that a question asks for.
type Fact string

// Facts.
const (
	FactRuntime  Fact = "runtime"        // "how long is Wicked"
	FactDirector Fact = "director"       // "who directed Wicked"
	FactWhere    Fact = "where_to_watch" // "is Wicked on Netflix", "where can I stream Wicked"
	FactRelease  Fact = "release_date"   // "when does Wicked come out"
	FactCast     Fact = "cast"           // "who's in Wicked"
)

// Topic is the category a question is about; it is a catalog category.
type Topic = catalog.Category

// Query is what the bot understood. Nil pointers mean "not said".
type Query struct {
	Intent Intent `json:"intent"`
	Title  string `json:"title"`
	Year   *int   `json:"year"`
	// Age is the age to judge for: the youngest one asked about.
	Age   *int   `json:"age"`
	Topic *Topic `json:"topic"`
	// FollowUp is set when the text refers back to the conversation: with
	// no title ("what about the language?", "is it violent?", "the 2016
	// one") it is about the title discussed; with a title ("what about
	// Frozen?") it keeps the age asked before unless it says one.
	FollowUp bool `json:"follow_up,omitempty"`
	// Alt is a second reading of the title, when the text allows two
	// ("What About Bob?", "Death Race 2000"): look it up when Title finds nothing.
	Alt *AltTitle `json:"alt,omitempty"`
	// RejectedAge is an age the text gave that no one can be (0, negative,
	// over 120): it is not used, and the reply should say so.
	RejectedAge *int `json:"rejected_age,omitempty"`
	// Fact is the fact asked for when Intent is IntentFact.
	Fact Fact `json:"fact,omitempty"`
	// Service is the streaming service a where-to-watch question names ("Netflix").
	Service string `json:"service,omitempty"`
}

// AltTitle is a second reading of a question's title.
type AltTitle struct {
	Title string `json:"title"`
	Year  *int   `json:"year,omitempty"`
}

const (
	minYear = 1888
	maxYear = 2035
	minAge  = 1
	maxAge  = 120
)

// maxQueryLen bounds what the parser reads; nobody types a 500-character film title.
const maxQueryLen = 500

var (
	// Discord mentions (<@123>, <@!123>, <@&role>, <#channel>), Slack mentions
	// (<@U123>, <@U123|name>, <!here>, <!subteam^S1|team>) and Discord custom emoji.
	mentionToken = regexp.MustCompile(`<[@#!][^>\s]*>|<!(?:here|channel|everyone)[^>]*>|<a?:\w+:\d+>`)
	// brokenMention takes apart what is left of a malformed token, so no "<@" or "<!" reaches the title.
	brokenMention = strings.NewReplacer("<@", " ", "<!", " ")
	botName       = regexp.MustCompile(`(?i)^(?:hey|hi|hello|ok|okay)?[\s,]*@?advisory(?:bot)?\b[\s,:]*|[\s,]+@?advisory(?:bot)?$`)
	howToUse      = regexp.MustCompile(`(?i)^how (?:do i|does this|to) (?:use|work)\b`)
	helpText      = regexp.MustCompile(`(?i)^(?:help|h|commands|usage|menu|start|how (?:do i|does this|to) (?:use|work)\b.*|how does (?:this|it) work|what can you do|what do you do|who are you|what is this|what are you|(?:hi|hello|hey|hiya|yo|sup)(?: there)?|(?:(?:ok|okay|great|cool|perfect)[\s,.!]+)?(?:thanks|thank you|thx|ty|cheers)(?: (?:a lot|so much|very much|bot))?|ok|okay|k|cool|great|nice|got it|lol|haha|hmm+|test|testing|bye|good bot|what|why|how|who|where|when|is|the|a|an|so|idk|huh|eh|yes|yep|no|nope|wait)$`)
)

// Parse understands free text from a slash command, a mention or a DM. It
// finds the question's frame (intent, age, topic, context) and takes the
// title as what is left, trusting quotes and capitals as hints.
func Parse(text string) Query {
	text = normalize(text)
	if text == "" || len(text) < 40 && helpText.MatchString(text) || len(text) >= 40 && howToUse.MatchString(text) {
		return Query{Intent: IntentHelp}
	}
	p := newParse(text)
	if len(p.toks) == 0 {
		return Query{Intent: IntentHelp}
	}
	toks := p.bracketYear(p.toks)
	toks = p.quote(toks)
	toks, ages := extractAges(toks, p.allCaps)
	r := &reading{noFacts: len(ages.ages)+len(ages.rejected) > 0}
	if !p.splitQuestion(toks, r, true) {
		p.strip(toks, r)
		p.splitQuestion(r.title, r, false)
	}
	return p.query(r, ages)
}

// normalize removes mentions, the bot's name, extra spaces and what ends a
// message without meaning anything (question marks, emoji).
func normalize(text string) string {
	if len(text) > maxQueryLen {
		cut := maxQueryLen
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	if strings.Contains(text, "<") {
		text = mentionToken.ReplaceAllString(text, " ")
		text = brokenMention.Replace(text)
	}
	text = strings.Join(strings.Fields(text), " ")
	if strings.Contains(strings.ToLower(text), "advisory") {
		text = botName.ReplaceAllString(text, "")
	}
	trim := func(text string) string {
		return strings.TrimFunc(text, func(r rune) bool {
			return unicode.IsSpace(r) || r == '?' || r == '!' || r == '.' || r == ',' || isEmoji(r)
		})
	}
	text = trim(text)
	if i := emoticon.FindStringIndex(text); i != nil && !closesList(text, i[0]) {
		text = trim(text[:i[0]])
	}
	return text
}

// emoticon is a smiley typed at the end of a message: ":)", ";-)", ":D".
var emoticon = regexp.MustCompile(`(?:\s|^)(?:[:;=8][-'^]?[()\[\]DPpOo3/\\|*]+|\^_?\^|[xX]D+)$`)

// closesList reports whether the smiley at text[i:] is "8)" closing a list
// of ages: "my kids (3, 5 and 8)".
func closesList(text string, i int) bool {
	return strings.TrimSpace(text[i:])[0] == '8' && strings.Count(text[:i], "(") > strings.Count(text[:i], ")")
}

// isEmoji is a pictograph, or a joiner or modifier of one, around a question.
func isEmoji(r rune) bool {
	return r >= 0x2000 && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Cf, r) || r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF))
}

// parse is one question being taken apart.
type parse struct {
	text    string
	toks    []token
	allCaps bool // no lower-case letter: capitals say nothing
	noCase  bool // all capitals or all lower case
	// titleCased: every word has a capital but the small words titles
	// leave in lower case ("Is Frozen Ok For Kids"): capitals after the
	// title do not make words the title's.
	titleCased bool
	year       *int
	quoted     *token // the quoted title, when there is one
}

func newParse(text string) *parse {
	p := &parse{text: text, toks: splitPossessive(tokenize(text))}
	upper, lower := false, false
	for _, r := range text {
		upper = upper || unicode.IsUpper(r)
		lower = lower || unicode.IsLower(r)
	}
	p.allCaps = !lower
	p.noCase = !lower || !upper
	p.titleCased = !slices.ContainsFunc(p.toks, func(t token) bool { return hasLetter(t) && !capitalised(t) && !smallWords[t.low] })
	if !p.noCase {
		for i := range p.toks {
			if t := &p.toks[i]; i > 0 && softWords[t.low] && capitalised(*t) && strings.ToUpper(t.text) != t.text {
				t.low = t.text // "Love Actually": no frame's "actually"
			}
		}
	}
	return p
}

// softWords are words a question may hold around a title ("is it
// actually ok") that are a title's own when written with a capital.
var softWords = map[string]bool{"actually": true, "really": true, "still": true, "honestly": true,
	"seriously": true, "though": true, "free": true, "it": true, "out": true, "that": true, "too": true,
	"so": true, "pretty": true}

// splitPossessive parts "Frozen's" from its "'s" before what a question
// asks of a title ("Frozen's rating", "Wicked's runtime"), so that frames
// can take it as they take "Frozen - rating".
func splitPossessive(toks []token) []token {
	for i := 0; i+1 < len(toks); i++ {
		t := toks[i]
		if !possessed[toks[i+1].low] || len(t.low) < 4 || !strings.HasSuffix(t.low, "'s") {
			continue
		}
		cut := len(t.text) - len("'s")
		if strings.HasSuffix(t.text, "’s") || strings.HasSuffix(t.text, "’S") {
			cut = len(t.text) - len("’s")
		}
		word := token{text: t.text[:cut], low: t.low[:len(t.low)-2], start: t.start, end: t.start + cut, possessive: true}
		s := token{text: t.text[cut:], low: "'s", start: t.start + cut, end: t.end}
		toks = slices.Concat(toks[:i], []token{word, s}, toks[i+1:])
		i++
	}
	for i := range toks {
		toks[i].idx = i
	}
	return toks
}

// possessed are what a question asks of a title with "'s".
var possessed = map[string]bool{"rating": true, "ratings": true, "age": true, "mpaa": true, "certificate": true,
	"runtime": true, "length": true, "director": true, "cast": true, "release": true, "parents": true,
	"parental": true, "content": true, "run": true, "running": true}

// bracketYear takes out a year in brackets: "Ballerina (2016)".
func (p *parse) bracketYear(toks []token) []token {
	for i := 0; i+2 < len(toks); i++ {
		open, close := toks[i].low, toks[i+2].low
		if !(open == "(" && close == ")" || open == "[" && close == "]") {
			continue
		}
		if y, ok := yearOf(toks[i+1].low); ok {
			p.year = &y
			return slices.Concat(toks[:i], toks[i+3:])
		}
	}
	return toks
}

func yearOf(w string) (int, bool) {
	if len(w) != 4 || !isDigits(w) {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= minYear && y <= maxYear
}

// quote replaces a quoted span ("Inside Out", “Inside Out”, *Inside Out*)
// with one placeholder token: the span is the title, whatever its words.
func (p *parse) quote(toks []token) []token {
	for i, t := range toks {
		closing, ok := quoteOf[t.low]
		if !ok || t.low == "'" && t.start > 0 && p.text[t.start-1] != ' ' {
			continue // "Lightnin'", "Feudin', Fussin'": apostrophes, not quotes
		}
		for j := i + 2; j < len(toks); j++ {
			if toks[j].low != closing || closing == "'" && p.text[toks[j].start-1] == ' ' {
				continue // "Love 'Em and Leave 'Em"
			}
			inner := toks[i+1 : j]
			start, end := inner[0].start, inner[len(inner)-1].end
			if utf8.RuneCountInString(p.text[start:end]) < 2 || !slices.ContainsFunc(inner, func(t token) bool { return !isPunct(t) }) {
				break // "Puss 'n' Toots", "`!!`"
			}
			// No frame word is empty: the quoted title matches none.
			q := token{text: p.text[start:end], start: start, end: end, idx: -1}
			p.quoted = &q
			return slices.Concat(toks[:i], []token{q}, toks[j+1:])
		}
	}
	return toks
}

// reading is the state of taking one question (or part of one) apart.
type reading struct {
	title   []token
	frame   []token // the question's words, for its topic, ages and family words
	flags   frameFlag
	fact    Fact
	applied int // frames applied, greetings and thanks not counted
	// maybe is what the title was before the frame that may have cut into
	// a title (fMaybeTitle), less what frames after it cut from its end;
	// cut is what that frame took, and undo what it added to the reading.
	maybe, cut []token
	added      addition
	capsOnly   bool // the cut words are the title's only when capitalised
	prefixCut  bool // the frame cut words before the title too: a question
	split      bool // a question after the title was taken apart
	asks       bool // some frame asks something: not only "on Netflix", "tonight"
	noFacts    bool // an age was given: "on Netflix" is where, not a question
}

// addition is what one frame added to a reading, to undo it.
type addition struct {
	flags          frameFlag
	fact, prevFact Fact
	counted        bool
}

// strip applies frames to toks until none matches; what is left is the
// title. First-only frames apply until another frame has: toks start the
// question, or the part of it before a question put after the title.
func (p *parse) strip(toks []token, r *reading) *reading {
	used := make([]bool, len(frames))
	// first: no frame has cut words at the question's start yet (fFirst);
	// some: some frame has applied (fNotFirst); asked: some frame but a
	// lead ("and where can I watch it") has, so the rest is no fact.
	first, some, asked := true, false, false
	// Once a frame has cut words after the title, what is left holds the
	// title: no frame takes all of it ("Fighting with My Family").
	afterTail := false
	for {
		toks = trimPunct(toks)
		if len(toks) == 0 {
			break
		}
		w := lows(toks)
		rev := slices.Clone(w)
		slices.Reverse(rev)
		// Frames without a slot take all that is left: never a title.
		noWhole := afterTail || p.hasTitleWord(toks)
		hasAny := func(words []string) bool {
			return slices.ContainsFunc(words, func(x string) bool { return slices.Contains(w, x) })
		}
		// hasPlain looks only at the words not written as a title's: "is Fail Safe on Netflix".
		hasPlain := func(words []string) bool {
			return slices.ContainsFunc(words, func(x string) bool {
				return slices.ContainsFunc(toks, func(t token) bool {
					return t.low == x && (p.noCase || !capitalised(t) || t.start == p.toks[0].start)
				})
			})
		}
		titleAt := func(from, k int) bool { return p.titleStart(toks[from:k], toks[k:]) }
		cand := frameIdx.candidates(w[0], rev[0])
		applied := false
		for i := range frames {
			if cand[i/64]&(1<<(i%64)) == 0 {
				continue // its words cannot start or end the question
			}
			f := &frames[i]
			if used[i] && f.flags&fRepeat == 0 || f.flags&fFirst != 0 && (!first || f.flags&fNoise != 0 && some) || f.flags&fNotFirst != 0 && !some ||
				f.fact != "" && (r.noFacts || asked) || !f.slot && noWhole || f.flags&fAged != 0 && !r.noFacts ||
				f.flags&fCased != 0 && p.noCase {
				continue
			}
			if f.needs != nil && !hasAny(f.needs) {
				continue
			}
			from, to, ok := f.match(w, rev, titleAt)
			if !ok || f.flags&fCapsTitle != 0 && p.titleWords(toks[to:], from > 0) {
				continue // "Catch Me If You Can": capitals make the words the title's
			}
			if f.avoid != nil && hasPlain(f.avoid) && p.asksFamily(toks[from:to]) {
				continue // "is Moana ok for kids on Netflix" asks whether it is ok; "is family switch on netflix" where
			}
			if f.flags&fCapsLead != 0 && from > 1 && p.hasTitleWord(toks[1:from]) {
				continue // "is The End of the Affair too scary"
			}
			if from == 1 && p.auxTitle(toks[:to]) {
				continue // "Are We There Yet? on Disney+"
			}
			if f.flags&fBareTail != 0 && (p.bareTitle(toks[to-1]) || !p.noCase && capitalised(toks[to])) {
				continue
			}
			used[i], applied = true, true
			added := addition{flags: f.flags & (fFamily | fFollowUp | fAsks) &^ r.flags, fact: f.fact, prevFact: r.fact, counted: f.flags&fNoise == 0}
			cut := slices.Concat(toks[:from], toks[to:])
			if f.flags&fNoise == 0 {
				r.frame = append(r.frame, cut...)
				r.applied++
				r.asks = r.asks || f.flags&fContext == 0 || f.flags&fFamily != 0
				some = true
				asked = asked || f.flags&fLead == 0
				// "what about the language in Heat": what follows a lead
				// is read as a question of its own.
				first = first && (from == 0 || f.flags&fLead != 0)
			}
			r.flags |= f.flags & (fFamily | fFollowUp | fAsks)
			if f.fact != "" {
				r.fact = f.fact
			}
			// A frame that cuts only after the title, in plain lower case,
			// leaves the doubt about the title's start ("So Big ok for kids?").
			own := r.maybe == nil || from > 0 || !p.noCase && slices.ContainsFunc(toks[to:], func(t token) bool { return hasLetter(t) && capitalised(t) })
			switch {
			case f.flags&fMaybeTitle != 0 && from < to && own:
				r.maybe, r.cut, r.added, r.capsOnly, r.prefixCut = toks, cut, added, false, from > 0
			case f.flags&fCapsTitle != 0 && from < to && to < len(toks) && own:
				// Only the words after the title may be the title's.
				r.maybe, r.cut, r.added, r.capsOnly, r.prefixCut = toks, toks[to:], added, true, from > 0
			case r.maybe != nil && from == 0 && len(r.maybe) > len(toks)-to:
				r.maybe = r.maybe[:len(r.maybe)-(len(toks)-to)]
			default:
				r.maybe, r.cut = nil, nil
			}
			afterTail = afterTail || to < len(toks) && f.flags&fNoise == 0
			toks = toks[from:to]
			break
		}
		if !applied {
			break
		}
	}
	r.title = toks
	return r
}

// hasTitleWord reports whether toks hold a word capitalised as titles are
// ("what about My Son?"), in a question that has lower-case words at all.
func (p *parse) hasTitleWord(toks []token) bool {
	if p.noCase {
		return false
	}
	return slices.ContainsFunc(toks, func(t token) bool {
		return hasLetter(t) && capitalised(t) && t.start != p.toks[0].start && t.text != "I" && strings.ToUpper(t.text) != t.text
	})
}

// asksFamily reports whether toks, the title a frame would leave, hold a
// question whether it suits someone: "Moana ok for kids".
func (p *parse) asksFamily(toks []token) bool {
	r := p.strip(toks, &reading{noFacts: true})
	return r.flags&fFamily != 0 || hasKid(lows(r.frame))
}

// titleWords reports whether words a frame would cut after a title are
// written as the title's own: every word that says something has a
// capital ("Thank You for Smoking", "Mr. Saturday Night", but not "Heat
// tonight" or "Coco for Christmas"). Capitals say nothing in a question
// written all in one case, nor after a question in title case ("Is
// Frozen Ok For Kids").
func (p *parse) titleWords(cut []token, question bool) bool {
	if p.noCase || p.titleCased && question {
		return false
	}
	content, small := 0, 0
	for i, t := range cut {
		switch {
		case !hasLetter(t) || t.text == "I" || len(t.text) > 1 && strings.ToUpper(t.text) == t.text:
			continue // "IMAX", "TV": an acronym reads as the question's
		case properNouns[t.low] || i > 0 && holidays[cut[i-1].low] && dayWords[t.low]:
			continue // "Christmas Eve" has capitals in any question
		case !capitalised(t) && !smallWords[t.low]:
			return false
		case smallWords[t.low]:
			if capitalised(t) {
				small++
			}
		default:
			content++
		}
	}
	return content > 0 || small > 0
}

// bareTitle reports whether t, the word before a topic after a title
// ("Heat violence"), binds the topic to the title ("A History of
// Violence", "there will be blood" where no capitals tell) or to a
// question ("Heat how much violence").
func (p *parse) bareTitle(t token) bool {
	if p.noCase && (smallWords[t.low] || t.low == "be" || t.low == "no") {
		return true
	}
	return (p.noCase || !capitalised(t)) && (questionWords[t.low] || quantityWords[t.low])
}

// quantityWords ask how much of a topic there is.
var quantityWords = map[string]bool{"much": true, "many": true, "any": true, "some": true, "more": true,
	"less": true, "enough": true, "lots": true, "of": true, "no": true, "the": true, "there": true}

// titleStart reports whether toks, the words a frame would take after a
// title, start with a word written as a title's: "a Little" in "is Let's
// Live a Little ok for kids". Without capitals, a title that opens with a
// question word keeps its verb: "where the wild things are ok for kids".
func (p *parse) titleStart(title, toks []token) bool {
	if len(title) > 0 && len(toks) > 0 && whTitle[title[0].low] && copulas[toks[0].low] {
		return true
	}
	if p.noCase || p.titleCased {
		return false
	}
	for _, t := range toks {
		switch {
		case !hasLetter(t):
			return false
		case smallWords[t.low] && !capitalised(t):
			continue
		}
		return capitalised(t) && t.text != "I" && strings.ToUpper(t.text) != t.text && !properNouns[t.low]
	}
	return false
}

// whTitle words open titles that end with their own verb: "Where the Wild Things Are".
var whTitle = map[string]bool{"where": true, "what": true, "who": true, "when": true, "how": true, "why": true}

var copulas = map[string]bool{"is": true, "are": true, "was": true, "were": true}

// dayWords follow a holiday's name with a capital: "Christmas Eve".
var dayWords = map[string]bool{"eve": true, "day": true, "night": true, "morning": true}

var holidays = map[string]bool{"christmas": true, "xmas": true, "easter": true, "thanksgiving": true, "halloween": true}

// trimPunct drops punctuation at either end of toks ("Ballerina -", ", is it ok").
func trimPunct(toks []token) []token {
	edge := func(t token) bool {
		return t.idx >= 0 && isPunct(t) && !strings.ContainsAny(t.low, `()[]&+#$@<"“”'`)
	}
	for len(toks) > 0 && edge(toks[0]) {
		toks = toks[1:]
	}
	for len(toks) > 0 && edge(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// questionWords can start a question put after a title: "Heat how violent is it".
var questionWords = map[string]bool{"how": true, "is": true, "are": true, "was": true, "does": true, "do": true,
	"did": true, "has": true, "any": true, "what": true, "whats": true, "what's": true, "can": true, "could": true,
	"should": true, "would": true, "will": true, "who": true, "where": true, "why": true}

// abbreviations end with a full stop that ends no sentence: "Mr. Saturday
// Night"; so do initials ("R.I.P.D.", "G.I. Joe").
var abbreviations = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true,
	"sr": true, "vol": true, "vs": true, "no": true, "pt": true, "ft": true, "mt": true, "lt": true, "capt": true}

// separators may stand between a title and a question about it.
var separators = map[string]bool{"-": true, ":": true, ",": true, ";": true, ".": true, "?": true, "!": true, "/": true}

// splitQuestion finds a question put after the title ("Heat - how violent
// is it?", "Wicked, any swearing?"): a tail of toks that reads as a
// question of its own about "it". The first such tail wins; the words
// before it are stripped into r. With atSeparators it looks only after
// punctuation, before any other frame is taken; else after a question
// word too, in what is left once frames are taken.
func (p *parse) splitQuestion(toks []token, r *reading, atSeparators bool) bool {
	tries := 0
	for k := 1; k < len(toks) && tries < maxSplits; k++ {
		var rest []token
		switch {
		case separators[toks[k].low] && k+1 < len(toks) && !(toks[k].low == "." && (abbreviations[toks[k-1].low] || utf8.RuneCountInString(toks[k-1].low) == 1)):
			rest = toks[k+1:]
		case !atSeparators && questionWords[toks[k].low] && (p.noCase || !capitalised(toks[k])) && k+1 < len(toks):
			rest = toks[k:]
		default:
			continue
		}
		words := slices.ContainsFunc(rest, hasLetter)
		if !words && !atSeparators || toks[k].low == "," && p.titleStart(nil, rest[:1]) {
			continue // "Hold the Lion, Please": after a comma, a capital goes on with the title
		}
		tries++
		if words && len(rest) <= maxQuestion {
			if q := p.question(rest, r.noFacts); q != nil {
				saved := *r
				saved.frame = slices.Clone(r.frame)
				r.merge(q, toks[k])
				p.strip(toks[:k], r) // "Wicked tonight - is it ok?": the rest may hold more frame
				if !openQuestion(r.title) || !innerMarks[toks[k].low] {
					return true
				}
				*r = saved // "why is shazam! rated pg-13": the mark is the title's
			}
		}
		if atSeparators && k <= maxQuestion && p.plainQuestion(toks[:k+1]) {
			// "too scary for a 5 year old - Coraline?": the question first.
			if q := p.question(toks[:k], r.noFacts); q != nil {
				r.merge(q, toks[k])
				p.strip(rest, r)
				return true
			}
		}
	}
	return false
}

// innerMarks end a question, but are also found inside titles: "Shazam!", "Monsters, Inc.".
var innerMarks = map[string]bool{"!": true, ".": true, "?": true}

// openQuestion reports whether toks, what is left of the words before a
// question taken apart, start a question of their own that no frame
// closed ("why is shazam", "what's mother"): the question went on after
// a mark inside the title.
func openQuestion(toks []token) bool {
	if len(toks) < 2 {
		return false
	}
	switch toks[0].low {
	case "what's", "whats", "why's", "whys", "how's", "hows":
		return true
	case "why", "what", "how", "is", "are", "was", "does", "did", "do":
		return copulas[toks[1].low] || toks[1].low == "does" || toks[1].low == "did"
	}
	return false
}

// plainQuestion reports whether toks (up to the separator after them) may
// be a question put before the title: two words at least ("R.S.V.P." is
// not), none capitalised but the first ("Good Morning, Judge" is a title).
func (p *parse) plainQuestion(toks []token) bool {
	n := 0
	if first, last := toks[0].idx, toks[len(toks)-1].idx; first >= 0 && last >= first {
		// Words of an age taken out before count: "safe for a 6 year old - Coco".
		for _, t := range p.toks[first : last+1] {
			if t.idx >= 0 && !slices.ContainsFunc(toks, func(x token) bool { return x.idx == t.idx }) && hasLetter(t) {
				n++
			}
		}
	}
	for _, t := range toks {
		if !hasLetter(t) {
			continue
		}
		n++
		if !p.noCase && capitalised(t) && t.start != p.toks[0].start && t.text != "I" {
			return false
		}
	}
	return n >= 2
}

// merge takes in a question read apart from the title, and the word that
// parted them.
func (r *reading) merge(q *reading, sep token) {
	r.frame = append(append(r.frame, q.frame...), sep)
	r.flags |= q.flags
	r.fact = cmp.Or(q.fact, r.fact)
	r.applied += q.applied
	r.maybe, r.cut, r.split = nil, nil, true
}

// undo takes back the last frame applied, whose words are the title's.
func (r *reading) undo() {
	r.frame = slices.DeleteFunc(r.frame, func(t token) bool {
		return slices.ContainsFunc(r.cut, func(c token) bool { return c.start == t.start && c.end == t.end })
	})
	r.flags &^= r.added.flags
	if r.added.fact != "" && r.fact == r.added.fact {
		r.fact = r.added.prevFact
	}
	if r.added.counted {
		r.applied--
	}
}

// maxSplits bounds the places a question after the title is looked for,
// and maxQuestion the words of such a question.
const (
	maxSplits   = 6
	maxQuestion = 24
)

// question reads toks as a question about "it" (the title said elsewhere),
// putting "is it" before what leaves it out ("ok for kids?"); nil if toks
// name a title of their own.
func (p *parse) question(toks []token, noFacts bool) *reading {
	q := p.strip(toks, &reading{noFacts: noFacts})
	if !q.titleless(p.allCaps) && !questionWords[toks[0].low] {
		q = p.strip(slices.Concat(itIs, toks), &reading{noFacts: true})
		if !q.asks {
			return nil // "Shazam! on Disney+": context, not a question after the title
		}
	}
	// Some question word must be the text's, not only the "is it" put before it.
	if !q.titleless(p.allCaps) || !slices.ContainsFunc(q.frame, func(t token) bool { return t.idx >= 0 }) {
		return nil
	}
	return q
}

// itIs is "is it", put before a question that leaves it out.
var itIs = []token{{text: "is", low: "is", idx: -1}, {text: "it", low: "it", idx: -1}}

// titleless reports whether a reading took every word as question: what
// is left, if anything, refers back ("is it ok").
func (r *reading) titleless(allCaps bool) bool {
	return r.applied > 0 && (len(r.title) == 0 || isPronoun(r.title, allCaps))
}

// pronouns refer back to the title being discussed.
var pronouns = words.compileAll("it", "this", "that", "this one", "that one", "the one", "one", "same one", "the same one",
	"this/that/the movie/film/show/series/version/remake", "the same movie/film/show", "them", "the last one", "that title",
	"version/remake", "[the] original", "the original/new/newer/newest/old/older/oldest/latest/first/animated/cartoon one/version/movie/film",
	"the live action one/version/movie/film")

// isPronoun reports whether toks refer back. A capital It is the film It,
// unless the whole question is in capitals.
func isPronoun(toks []token, allCaps bool) bool {
	if len(toks) == 1 && toks[0].text == "It" || len(toks) == 1 && toks[0].text == "IT" && !allCaps {
		return false
	}
	if len(toks) == 1 && toks[0].text == "Them" {
		return false // "Them!" is a film
	}
	if !allCaps && len(toks) > 1 && capitalised(toks[len(toks)-1]) {
		return false // "The Movie" is a title's part, "the movie" refers back
	}
	w := lows(toks)
	for _, s := range pronouns {
		if matchAll(s, w, 0, len(w)) {
			return true
		}
	}
	return false
}

func (v vocab) compileAll(patterns ...string) []seq {
	out := make([]seq, len(patterns))
	for i, s := range patterns {
		out[i] = v.compile(s)
	}
	return out
}

// query turns a reading into a Query.
func (p *parse) query(r *reading, ages ageReading) Query {
	q := Query{Year: p.year}
	p.title(r, &q, &ages)
	slices.SortFunc(r.frame, func(a, b token) int { return a.start - b.start })
	frame := lows(r.frame)
	ages.ages = append(ages.ages, groupAges(frame)...)
	if len(ages.ages) > 0 {
		a := slices.Min(ages.ages)
		q.Age = &a
	}
	if len(ages.rejected) > 0 {
		a := ages.rejected[0]
		q.RejectedAge = &a
	}
	q.Topic = findTopic(frame)
	q.Fact = r.fact
	if q.Fact == FactWhere {
		if ph, _ := words["service"].find(frame); ph != nil {
			q.Service = ph.value
		}
	}
	family := r.flags&fFamily != 0 || q.Age != nil || q.RejectedAge != nil || hasKid(frame)
	switch {
	case q.Fact != "":
		q.Intent = IntentFact
	case q.Topic != nil:
		q.Intent = IntentTopic
	case family:
		q.Intent = IntentFamilyCheck
	default:
		q.Intent = IntentAdvisory
	}
	q.FollowUp = q.Title == "" || r.flags&fFollowUp != 0
	if q.Title == "" && q.Topic == nil && q.Age == nil && q.RejectedAge == nil && q.Fact == "" && q.Year == nil && !family &&
		r.flags&fAsks == 0 &&
		!slices.ContainsFunc(frame, func(w string) bool { return !emptyWords[w] }) {
		return Query{Intent: IntentHelp} // "and?", "what about", "is it?": nothing asked
	}
	return q
}

// title sets the title, its year and its second reading from what the
// frames left; a bare number after "what about" is an age.
func (p *parse) title(r *reading, q *Query, ages *ageReading) {
	if p.quoted != nil {
		q.Title = cleanTitle(p.quoted.text)
		rest := trimPunct(r.title)
		beside := slices.ContainsFunc(rest, func(t token) bool { return t.idx >= 0 && !isPunct(t) })
		if whole := p.span(rest); beside && q.Title != "" && whole != q.Title && slices.ContainsFunc(rest, func(t token) bool { return t.idx < 0 }) {
			// Words the frames left beside the quote: "Cry 'Havoc'" is one title.
			q.Title, q.Alt = whole, &AltTitle{Title: q.Title, Year: q.Year}
		}
		return
	}
	title := r.title
	var alt []token
	if r.maybe != nil {
		title, alt = p.maybeTitle(r)
	}
	title = trimPunct(title)
	title, alt = p.movieWords(title, alt)
	title, yearAlt := p.titleYear(q, title)
	switch {
	case isPronoun(title, p.allCaps):
		r.frame = append(r.frame, title...)
		return
	case r.flags&fFollowUp != 0 && len(title) == 1 && len(strings.TrimPrefix(title[0].low, "-")) <= 2 && isDigits(strings.TrimPrefix(title[0].low, "-")):
		// "what about 17?" (but "what about Nine?" and "what about 813?" are films)
		if n, ok := isNumber(title[0].low); ok {
			if n >= minAge && n <= maxAge {
				ages.ages = append(ages.ages, n)
			} else {
				ages.rejected = append(ages.rejected, n)
			}
			return
		}
	}
	if alt == nil && yearAlt == "" {
		title, alt = p.capitalSpan(title)
	}
	if n := len(title); alt == nil && n > 0 && title[n-1].possessive && title[n-1].idx >= 0 {
		// "Frozen's rating", but "Five Nights at Freddy's rating": a title
		// of more than one word more likely ends in its own "'s".
		with := append(slices.Clone(title), p.toks[title[n-1].idx+1])
		if slices.ContainsFunc(title[:n-1], hasLetter) {
			title, with = with, title
		}
		alt = with
	}
	q.Title = p.span(title)
	switch {
	case q.Title == "":
	case len(alt) > 0 && p.span(alt) != q.Title:
		q.Alt = &AltTitle{Title: p.span(alt), Year: q.Year}
	case yearAlt != "":
		q.Alt = &AltTitle{Title: yearAlt}
	}
}

// maybeTitle decides between the title with and without the words of a
// frame that may belong to it (fMaybeTitle), by their capitals: "What
// About Bob?" is a title, "what about Frozen?" a follow-up, "what about
// bob" either. It returns the title and the second reading, if any.
func (p *parse) maybeTitle(r *reading) (title, alt []token) {
	if len(r.title) == 0 {
		return r.title, nil
	}
	neither := r.maybe // no hint either way: the second reading
	if r.capsOnly {
		neither = slices.Concat(r.title, r.cut)
	}
	if p.titleCased && r.capsOnly && r.prefixCut {
		return r.title, nil // "Is Frozen Ok For Kids": a question in capitals
	}
	if p.noCase {
		if r.capsOnly {
			return r.title, nil // "wicked tonight": no title ends so
		}
		return r.title, neither
	}
	// The question's first word has a capital whatever it is (but in lower
	// case it is a sign); "I" always has one.
	var content, small []token
	onlyFirst := true
	for i, t := range r.cut {
		first := t.start == p.toks[0].start
		onlyFirst = onlyFirst && (first || !hasLetter(t))
		if len(t.text) > 1 && strings.ToUpper(t.text) == t.text && hasLetter(t) {
			t.text = t.low // "IMAX", "TV": an acronym reads as the question's
		}
		if first && capitalised(t) || !hasLetter(t) || t.text == "I" || properNouns[t.low] && capitalised(t) ||
			dayWords[t.low] && i > 0 && holidays[r.cut[i-1].low] {
			continue
		}
		if smallWords[t.low] && !first {
			small = append(small, t)
		} else {
			content = append(content, t)
		}
	}
	// Lower-case small words say little: titles write "Murder in Trinidad".
	signal := content
	if len(signal) == 0 && slices.ContainsFunc(small, capitalised) {
		signal = small
	}
	switch {
	case len(signal) == 0 && onlyFirst && len(r.cut) > 0 && (len(r.title) >= 2 || !copulas[r.cut[0].low] && words["aux"].fwd.byWord[r.cut[0].low] != nil) &&
		titleCase(r.title) && !copulaQuestion(r):
		// "Are We There Yet?": only the first word was cut, and the rest reads as a title.
		r.undo()
		return r.maybe, r.title
	case len(signal) == 0:
		return r.title, neither
	case !slices.ContainsFunc(signal, capitalised):
		return r.title, nil // all lower case: plainly the question's words
	case !slices.ContainsFunc(signal, func(t token) bool { return !capitalised(t) }):
		// All capitalised: part of the title, and not of the question.
		r.undo()
		return r.maybe, r.title
	}
	return r.title, neither
}

// auxTitle reports whether toks are a title that is a question of its
// own, its question mark kept inside the question ("Are We There Yet? on
// Disney+", "Is It Cake? ok for kids"): the question's first word, a
// capitalised pronoun, and a question mark after them.
func (p *parse) auxTitle(toks []token) bool {
	if p.noCase || len(toks) < 3 || toks[0].start != p.toks[0].start {
		return false
	}
	t := toks[1]
	return words["aux"].fwd.byWord[toks[0].low] != nil && subjects[strings.ToLower(t.low)] && capitalised(t) &&
		t.text != "I" && strings.ToUpper(t.text) != t.text && slices.ContainsFunc(toks[2:], func(t token) bool { return t.low == "?" })
}

// copulaQuestion reports whether the word cut is "is" or "are" asking about
// the title after it ("Is Knives Out for teens?"), not a title's first
// word ("Are We There Yet?", "Is Anybody There?"), which a subject follows.
func copulaQuestion(r *reading) bool {
	first := r.cut[0].low
	if first != "is" && first != "are" && first != "was" && first != "were" {
		return false
	}
	return !subjects[strings.ToLower(r.title[0].low)]
}

var subjects = map[string]bool{"we": true, "you": true, "i": true, "they": true, "he": true, "she": true,
	"it": true, "there": true, "anybody": true, "anyone": true, "somebody": true, "someone": true,
	"this": true, "that": true, "these": true, "those": true, "everybody": true, "everyone": true}

// titleCase reports whether every word of toks has a capital, but the small words titles leave in lower case.
func titleCase(toks []token) bool {
	return !slices.ContainsFunc(toks, func(t token) bool { return hasLetter(t) && !capitalised(t) && !smallWords[t.low] })
}

// properNouns are written with a capital in any question: it says nothing.
var properNouns = map[string]bool{"christmas": true, "xmas": true, "halloween": true, "thanksgiving": true,
	"easter": true, "hanukkah": true, "diwali": true, "friday": true, "saturday": true, "sunday": true,
	"grandma": true, "grandpa": true, "mom": true, "dad": true, "imax": true}

// smallWords are the words titles leave in lower case.
var smallWords = map[string]bool{"the": true, "a": true, "an": true, "of": true, "in": true, "on": true, "at": true,
	"to": true, "for": true, "and": true, "or": true, "with": true, "by": true, "from": true, "vs": true, "as": true}

// movieWords drops "the ... movie" around a title written with capitals:
// "the new Ballerina movie" is Ballerina, "The Lego Movie" a title.
func (p *parse) movieWords(title, alt []token) ([]token, []token) {
	if len(title) < 2 || p.allCaps {
		return title, alt
	}
	lower := func(t token) bool { return !capitalised(t) }
	isMovie := func(t token) bool {
		return lower(t) && (t.low == "movie" || t.low == "film" || t.low == "show" || t.low == "series" || t.low == "movies" || t.low == "films")
	}
	cut := title
	if !p.noCase && lower(cut[0]) && movieAdjectives[cut[0].low] && capitalised(cut[len(cut)-1]) {
		// "the new Lion King": lower-case words before a capitalised title.
		adjective := false
		for len(cut) > 1 && lower(cut[0]) && movieAdjectives[cut[0].low] {
			adjective = adjective || !smallWords[cut[0].low] && cut[0].low != "this" && cut[0].low != "that"
			cut = cut[1:]
		}
		if !adjective || !capitalised(cut[0]) || !hasLetter(cut[0]) {
			cut = title // "the 2016 Ballerina" is a year, "the Sea Will Tell" a title
		}
	}
	if isMovie(cut[len(cut)-1]) && len(cut) > 1 {
		cut = cut[:len(cut)-1]
		if len(cut) > 1 && lower(cut[len(cut)-1]) && cut[len(cut)-1].low == "the" {
			cut = cut[:len(cut)-1] // "Frozen the movie"
		}
		for len(cut) > 1 && lower(cut[0]) && movieAdjectives[cut[0].low] {
			cut = cut[1:]
		}
	} else if len(cut) > 2 && lower(cut[0]) && cut[0].low == "the" && isMovie(cut[1]) {
		cut = cut[2:]
	} else if isMovie(cut[0]) {
		cut = cut[1:]
	}
	if len(cut) == len(title) {
		return title, alt
	}
	if p.noCase && alt == nil {
		alt = title // "the lego movie": either
	}
	return cut, alt
}

var movieAdjectives = map[string]bool{"the": true, "new": true, "latest": true, "original": true, "old": true,
	"recent": true, "upcoming": true, "first": true, "second": true, "third": true, "newest": true, "animated": true,
	"live": true, "action": true, "older": true, "a": true, "that": true, "this": true}

// titleYear takes a year from the title's ends: "Ballerina 2023",
// "Ballerina, 2016", "Ballerina from 2016", "the 2016 Ballerina". A bare
// trailing number may be the title's own ("Death Race 2000"): the second
// reading keeps it.
func (p *parse) titleYear(q *Query, title []token) ([]token, string) {
	n := len(title)
	if q.Year != nil || n == 0 {
		return title, ""
	}
	if y, ok := yearOf(title[n-1].low); ok && n >= 2 {
		before := title[:n-1]
		q.Year = &y
		if len(before) == 1 && before[0].low == "the" {
			return nil, "" // "the 2019": the one from that year
		}
		switch before[len(before)-1].low {
		case ",", "from":
			return before[:len(before)-1], ""
		case "in":
			if len(before) >= 2 {
				return before[:len(before)-1], p.span(title)
			}
		}
		return before, p.span(title)
	}
	if n >= 2 && title[0].low == "the" {
		if y, ok := yearOf(title[1].low); ok { // "the 2019 Dune", "the 2019"
			q.Year = &y
			return title[2:], ""
		}
	}
	if n == 2 {
		// "2016 one", "2016 version".
		if y, ok := yearOf(title[0].low); ok && isPronoun(title[1:], false) {
			q.Year = &y
			return title[1:], ""
		}
	}
	return title, ""
}

// capitalSpan reads "lets watch Wicked" as Wicked: a title written with
// capitals after lower-case words that start no title. The whole is the
// second reading.
func (p *parse) capitalSpan(title []token) ([]token, []token) {
	if p.noCase {
		return title, nil
	}
	for k, t := range title {
		if !hasLetter(t) || !capitalised(t) || t.start == p.toks[0].start {
			continue // the question's first word has a capital whatever it is
		}
		junk := slices.ContainsFunc(title[:k], func(x token) bool { return chatWords[x.low] && !capitalised(x) })
		if junk {
			return title[k:], title
		}
		return title, nil
	}
	return title, nil
}

// chatWords are words of a chat, not of a title typed in lower case.
var chatWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`want wants wanted wanna watch watching see seeing show showing like likes love
		loves thinking planning going gonna let lets let's us them if is are was should could would can will maybe
		ok okay movie film just really tonight tomorrow weekend kids kid son daughter family about check tell know
		heard anyone anybody recommend recommended think opinion opinions thoughts please need`) {
		m[w] = true
	}
	return m
}()

// span is the text of toks as written, punctuation inside kept; where
// words were taken out between them ("The Lion King (1994) ok") a space.
func (p *parse) span(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		switch {
		case i == 0:
		case t.idx >= 0 && t.idx == toks[i-1].idx+1:
			b.WriteString(p.text[toks[i-1].end:t.start])
		default:
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return cleanTitle(b.String())
}

func cleanTitle(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'“”‘’«»*_~?!.,;:-–—`, r) || isEmoji(r)
	})
	return strings.Join(strings.Fields(s), " ")
}

// topics holds every topic phrase, with its category as its value, in
// the order that decides between two at one place.
var topics = func() *class {
	c := &class{name: "topics"}
	for _, cat := range []catalog.Category{catalog.Profanity, catalog.SexualContent, catalog.Substances, catalog.Frightening, catalog.Violence} {
		for _, ph := range words[string(cat)].phrases {
			c.addPhrase(phrase{fwd: ph.fwd, value: string(cat)})
		}
	}
	for _, ph := range words["verb"].phrases {
		c.addPhrase(ph)
	}
	for _, ph := range words["killed"].phrases {
		c.addPhrase(phrase{fwd: ph.fwd, value: string(catalog.Violence)})
	}
	for _, ph := range words["scareverb"].phrases {
		c.addPhrase(ph)
	}
	return c
}()

// findTopic is the category of the first topic noun or verb in the frame,
// else of its first topic adjective: "how graphic is the sex" is about sex.
func findTopic(frame []string) *Topic {
	for _, c := range []*class{topics, words["adj"]} {
		if ph, _ := c.find(frame); ph != nil {
			t := Topic(ph.value)
			return &t
		}
	}
	return nil
}

// groupAges are the ages age-group words in the frame mean ("my teen": 13).
func groupAges(frame []string) []int {
	var out []int
	for i := 0; i < len(frame); i++ {
		if ph, e := words["group"].at(frame, i); ph != nil {
			out = append(out, groupAge(ph.value))
			i = e - 1
		}
	}
	return out
}

// emptyWords ask nothing on their own.
var emptyWords = map[string]bool{"and": true, "also": true, "so": true, "but": true, "then": true, "ok": true,
	"okay": true, "what": true, "how": true, "about": true, "is": true, "it": true, "are": true, "was": true,
	"does": true, "do": true, "this": true, "that": true, "one": true, "the": true, "same": true, "question": true,
	"thing": true, "for": true, "with": true, "to": true}

// hasKid reports whether the frame speaks of children ("with my kids").
func hasKid(frame []string) bool {
	ph, _ := words["kid"].find(frame)
	return ph != nil
}
