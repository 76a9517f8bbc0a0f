package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"advisorybot/catalog"
)

// Intent is what the user wants.
type Intent string

// Intents.
const (
	IntentAdvisory    Intent = "advisory"     // tell me about a title
	IntentFamilyCheck Intent = "family_check" // is it OK for a child / the family
	IntentTopic       Intent = "topic"        // one category: "how much swearing"
	IntentHelp        Intent = "help"
)

// Topic is the category a question is about; it is a catalog category.
type Topic = catalog.Category

// Query is what the bot understood. Nil pointers mean "not said".
type Query struct {
	Intent Intent `json:"intent"`
	Title  string `json:"title"`
	Year   *int   `json:"year"`
	Age    *int   `json:"age"`
	Topic  *Topic `json:"topic"`
	// FollowUp is set when the text refers back ("what about the language?",
	// "is it violent?") and names no title of its own.
	FollowUp bool `json:"follow_up,omitempty"`
}

const (
	minYear = 1888
	maxYear = 2035
	maxAge  = 99
)

var (
	mentionToken = regexp.MustCompile(`<[@#!][^>\s]*>|<!(?:here|channel|everyone)[^>]*>`)
	botName      = regexp.MustCompile(`(?i)^(?:hey|hi|hello|ok|okay)?[\s,]*@?advisory(?:bot)?\b[\s,:]*`)
	helpText     = regexp.MustCompile(`(?i)^(?:help|\?|h|commands|usage|how (?:do i|does this|to) (?:use|work)\b.*|what can you do\??)$`)
	parenYear    = regexp.MustCompile(`\s*[(\[]\s*(\d{4})\s*[)\]]`)
	trailingYear = regexp.MustCompile(`(?i)\s*(?:,\s*|\s+(?:from|in|of)\s+(?:the\s+year\s+)?|\s+)(\d{4})$`)
	ageWordNums  = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18,
	}
	num = `(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)`
	// Age phrases, with the words that lead into them, so removing the match leaves the title alone.
	agePhrases = []struct {
		re     *regexp.Regexp
		offset int // added to the number: "under 13" means 12
	}{
		{regexp.MustCompile(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your|the|his|her|their)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl|teens?)\b)?\s*(?:who\s+is\s+|who's\s+|aged?\s+|of\s+)?\b` + num + `[\s-]*(?:years?|yrs?|yr)[\s-]*olds?\b(?:\s+(?:kids?|children|child|son|daughter|boy|girl|twins?))?`), 0},
		{regexp.MustCompile(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl)\b)?\s*\b` + num + `\s*(?:yo|y/o|y\.o\.)(?:\s+(?:kids?|children|child|son|daughter|boy|girl))?(?:\b|$)`), 0},
		{regexp.MustCompile(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl|someone|people)\b)?\s*\b(?:aged?|ages)\s+` + num + `\b(?:\s*(?:and|or)\s*(?:up|over|older))?`), 0},
		{regexp.MustCompile(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|our|your)\b)?\s*\b(?:kids?|children|child)\s+(?:under|below|younger than)\s+` + num + `\b`), -1},
		{regexp.MustCompile(`(?i)(?:\s*\b(?:for|with|to)\b)?\s*\b(?:under|below|younger than)[\s-]+` + num + `s?\b`), -1},
	}
	// Topic vocabulary. Only the question's frame is searched, never the title,
	// so "Violent Night" or "Scary Movie" stay titles.
	topicWords = []struct {
		topic Topic
		re    string
	}{
		{catalog.Profanity, `swearing|swear\s*words?|swears?|cursing|curse\s*words?|cussing|cuss\s*words?|bad\s+language|foul\s+language|strong\s+language|language|profanity|profanities|bad\s+words|f-?words?|f-?bombs?|expletives?|obscenit(?:y|ies)`},
		{catalog.SexualContent, `sexual\s+content|sex\s+scenes?|sexual\s+violence|sexual|sex|nudity|nude\s+scenes?|nudes?|naked(?:ness)?|sexiness|sexy\s+stuff|rape|making\s+out`},
		{catalog.Substances, `drugs?\s+use|drug\s+use|drugs|drug|alcohol|drinking|smoking|cigarettes|substances?|substance\s+use|weed|marijuana|booze`},
		{catalog.Frightening, `jump\s*scares?|scary\s+(?:scenes?|parts?|bits?|stuff)|scares|scary|frightening|frights?|intense\s+scenes?|intensity|intense|horror|disturbing\s+(?:scenes?|content)|disturbing|creepy|nightmares?`},
		{catalog.Violence, `violence|violent|gore|gory|blood|bloody|fighting|fights|killing|killings|guns?|weapons?|deaths?`},
	}
	topicRes = func() []*regexp.Regexp {
		out := make([]*regexp.Regexp, len(topicWords))
		for i, t := range topicWords {
			out[i] = regexp.MustCompile(`(?i)\b(?:` + t.re + `)\b`)
		}
		return out
	}()
	anyTopic = func() string {
		parts := make([]string, len(topicWords))
		for i, t := range topicWords {
			parts[i] = t.re
		}
		return `(?:` + strings.Join(parts, "|") + `)`
	}()

	// Frames: leading and trailing phrases around the title. Each is stripped
	// repeatedly; what remains is the title.
	leadFrames = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^(?:please|pls|hey|hi|hello|so|and|but|also|ok|okay|um|uh|quick question|question)\b[\s,:;-]*`),
		regexp.MustCompile(`(?i)^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|check|look\s+up|say)\s*(?:if|whether|about|on)?\s*`),
		regexp.MustCompile(`(?i)^(?:tell\s+me|i\s+want\s+to\s+know|i'?d\s+like\s+to\s+know|do\s+you\s+know|wondering|i'?m\s+wondering|let\s+me\s+know)\s*(?:if|whether|about|on)?\s*`),
		regexp.MustCompile(`(?i)^(?:/?advisory|check|lookup|look\s+up|search|find|review|info|information|details|rating|parents?'?\s+guide|parental\s+guide|content\s+advisory|advisories)\s*(?:for|on|of|about)?\s*[:\-]?\s*`),
		regexp.MustCompile(`(?i)^(?:what(?:'s|\s+is)|how\s+is|how's)\s+(?:the\s+)?(?:rating|age\s+rating|advisory|parents?'?\s+guide)\s+(?:for|of|on)\s+`),
		regexp.MustCompile(`(?i)^what\s+(?:is|was)\s+(?:the\s+movie\s+|the\s+film\s+|the\s+show\s+)?` + `(?:rated|rating)\s+(?:for|of)?\s*`),
		regexp.MustCompile(`(?i)^what\s+(?:is\s+|was\s+)?` + `(?P<title>.+?)\s+rated$`),
		regexp.MustCompile(`(?i)^(?:should|can|could|may|would)\s+(?:(?:i|we|they|he|she|my\s+\w+|our\s+\w+|kids|children|the\s+kids)\s+)?(?:let\s+(?:my\s+|our\s+|the\s+)?\w+\s+)?(?:watch|see|view|stream)\s+`),
		regexp.MustCompile(`(?i)^(?:is\s+it|it\s+is)\s+(?:ok|okay|safe|fine|alright|appropriate|suitable)\s+(?:for\s+\S+(?:\s+\S+)?\s+)?to\s+(?:watch|see|show)\s+`),
		regexp.MustCompile(`(?i)^(?:what\s+about|how\s+about)\s+(?:the\s+)?`),
		regexp.MustCompile(`(?i)^(?:how\s+much|how\s+many|is\s+there(?:\s+any)?|are\s+there(?:\s+any)?|is\s+there\s+a\s+lot\s+of|are\s+there\s+a\s+lot\s+of|any|what|what's|what\s+is|what\s+kind\s+of|what\s+sort\s+of|tell\s+me\s+about)\s+(?:the\s+)?(?:a\s+lot\s+of\s+|lots\s+of\s+|much\s+)?` + anyTopic + `\s+(?:(?:is|are)\s+(?:there\s+)?|does\s+it\s+have\s+)?(?:in|does|on|for|of)\s+(?:the\s+(?:movie|film|show)\s+)?`),
		regexp.MustCompile(`(?i)^how\s+(?:bad|strong|graphic|explicit|intense)\s+(?:is|are)\s+(?:the\s+)?` + anyTopic + `\s+(?:in|on)\s+`),
		regexp.MustCompile(`(?i)^how\s+(?:violent|scary|frightening|bloody|gory|sexual|intense|creepy|disturbing)\s+(?:is|are|was)\s+`),
		regexp.MustCompile(`(?i)^(?:is|are|was|does|do|did|has|have|will)\s+`),
		regexp.MustCompile(`(?i)^(?:the\s+)?(?:movie|film|show|series)\s+`),
	}
	tailFrames = []*regexp.Regexp{
		regexp.MustCompile(`(?i)[\s,;:-]+(?:please|pls|thanks|thank\s+you|thx)$`),
		regexp.MustCompile(`(?i)\s+(?:to\s+watch|to\s+see|to\s+show\s+(?:them|him|her|my\s+\w+))$`),
		regexp.MustCompile(`(?i)\s+(?:for|with|by)\s+(?:my\s+|our\s+|the\s+|a\s+|young\s+|little\s+)*(?:kids?|children|child|family|families|family\s+night|teens?|teenagers?|tweens?|little\s+ones|toddlers?|son|daughter|boy|girl|everyone|all\s+ages|the\s+whole\s+family)$`),
		regexp.MustCompile(`(?i)\s+(?:(?:ok|okay|safe|fine|alright|appropriate|suitable|good|acceptable|right|too\s+\w+)(?:\s+(?:for|to))?|family[\s-]*(?:safe|friendly|appropriate)|kid[\s-]*(?:safe|friendly|appropriate)|child[\s-]*(?:safe|friendly|appropriate)|age[\s-]*appropriate|clean|rated|rated\s+(?:r|pg|g)|any\s+good|worth\s+(?:it|watching))$`),
		regexp.MustCompile(`(?i)\s+(?:(?:have|has|contain|contains|include|includes|show|shows|got)\s+(?:any\s+|a\s+lot\s+of\s+|lots\s+of\s+|much\s+|many\s+)?` + anyTopic + `(?:\s+in\s+it)?)$`),
		regexp.MustCompile(`(?i)\s+(?:too|very|really|that|so|overly)\s+` + anyTopic + `$`),
		regexp.MustCompile(`(?i)\s+(?:or\s+not|at\s+all|though|then)$`),
	}
	// questionTail strips a bare topic word at the end ("is Ballerina violent"),
	// only once a question word was stripped, so "There Will Be Blood" keeps its last word.
	questionTail = regexp.MustCompile(`(?i)\s+` + anyTopic + `$`)
	questionLead = regexp.MustCompile(`(?i)^(?:is|are|was|does|do|did|has|have|will)\s+`)
	topicOnly    = regexp.MustCompile(`(?i)^(?:the\s+|any\s+)?` + anyTopic + `(?:\s+(?:in\s+it|then|though))?$`)
	familyWords  = regexp.MustCompile(`(?i)\b(?:family|families|kids?|kid-?friendly|children|child|child-?friendly|safe|ok|okay|appropriate|suitable|alright|fine|clean|toddlers?|teens?|teenagers?|tweens?|little\s+ones|son|daughter|let\s+\w+\s+watch|can\s+(?:my|our)\b)`)
	pronoun      = regexp.MustCompile(`^(?:it|this|that|this\s+one|that\s+one|this\s+movie|that\s+movie|this\s+film|that\s+film|the\s+movie|the\s+film|the\s+show|same\s+one)$`)
	teenWords    = regexp.MustCompile(`(?i)\b(?:teens?|teenagers?)\b`)
)

// maxQueryLen bounds what the parser reads; nobody types a 500-character film title.
const maxQueryLen = 500

// Parse understands free text from a slash command, a mention or a DM.
func Parse(text string) Query {
	if len(text) > maxQueryLen {
		text = text[:maxQueryLen]
	}
	text = mentionToken.ReplaceAllString(text, " ")
	text = strings.Join(strings.Fields(text), " ")
	text = botName.ReplaceAllString(text, "")
	text = strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '?' || r == '!' || r == '.' || r == ',' })
	if text == "" || helpText.MatchString(text) {
		return Query{Intent: IntentHelp}
	}
	var q Query
	original := text

	// A year in brackets is never part of the title.
	if m := parenYear.FindStringSubmatchIndex(text); m != nil {
		if y, _ := strconv.Atoi(text[m[2]:m[3]]); y >= minYear && y <= maxYear {
			q.Year = &y
			text = strings.TrimSpace(text[:m[0]] + text[m[1]:])
		}
	}
	text, q.Age = extractAge(text)
	title, frame := stripFrames(text)
	if topicOnly.MatchString(title) {
		// "what about the language?": a topic follow-up, not a film called "language".
		frame, title = frame+" "+title, ""
	}
	if q.Age == nil && teenWords.MatchString(frame) {
		// "for my teen": the youngest teenager is the conservative reading.
		thirteen := 13
		q.Age = &thirteen
	}
	q.Topic = findTopic(frame)
	if q.Year == nil {
		if m := trailingYear.FindStringSubmatchIndex(title); m != nil && m[0] > 0 {
			if y, _ := strconv.Atoi(title[m[2]:m[3]]); y >= minYear && y <= maxYear {
				q.Year = &y
				title = strings.TrimSpace(title[:m[0]])
			}
		}
	}
	title = cleanTitle(title)
	if pronoun.MatchString(title) {
		// Lower-case "it" refers back; the film It is written with a capital.
		title = ""
	}
	q.Title = title
	q.FollowUp = title == ""
	switch {
	case q.Topic != nil:
		q.Intent = IntentTopic
	case q.Age != nil || familyWords.MatchString(frameOf(original, title)):
		q.Intent = IntentFamilyCheck
	default:
		q.Intent = IntentAdvisory
	}
	if q.Title == "" && q.Topic == nil && q.Age == nil && !familyWords.MatchString(original) {
		return Query{Intent: IntentHelp}
	}
	return q
}

// extractAge finds "my 12 year old", "a 14-year-old", "age 10", "kids under 13".
func extractAge(text string) (string, *int) {
	for _, p := range agePhrases {
		m := p.re.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		word := strings.ToLower(text[m[2]:m[3]])
		n, ok := ageWordNums[word]
		if !ok {
			n, _ = strconv.Atoi(word)
		}
		n += p.offset
		if n < 0 || n > maxAge {
			continue
		}
		rest := strings.TrimSpace(text[:m[0]] + " " + text[m[1]:])
		return strings.Join(strings.Fields(rest), " "), &n
	}
	return text, nil
}

// stripFrames removes question phrasing around the title and returns the
// title and the removed frame (where topics and family words are looked for).
func stripFrames(text string) (title, frame string) {
	var removed []string
	asked := false
	for changed := true; changed; {
		changed = false
		for _, re := range leadFrames {
			m := re.FindStringSubmatchIndex(text)
			if m == nil || m[1] == 0 {
				continue
			}
			if i := re.SubexpIndex("title"); i > 0 && m[2*i] >= 0 {
				// "what is X rated": the title sits inside the frame.
				removed = append(removed, text[:m[2*i]], text[m[2*i+1]:])
				text = text[m[2*i]:m[2*i+1]]
				changed = true
				continue
			}
			if m[1] >= len(text) {
				continue // never strip the whole text: it may be the title ("Is", "Up")
			}
			asked = asked || questionLead.MatchString(text)
			removed = append(removed, text[:m[1]])
			text = strings.TrimSpace(text[m[1]:])
			changed = true
		}
		for _, re := range tailFrames {
			m := re.FindStringIndex(text)
			if m == nil || m[0] == 0 {
				continue
			}
			removed = append(removed, text[m[0]:])
			text = strings.TrimSpace(text[:m[0]])
			changed = true
		}
		if asked && !changed {
			if m := questionTail.FindStringIndex(text); m != nil && m[0] > 0 {
				removed = append(removed, text[m[0]:])
				text = strings.TrimSpace(text[:m[0]])
				changed = true
			}
		}
	}
	return text, strings.Join(removed, " ")
}

func findTopic(frame string) *Topic {
	best, at := -1, len(frame)+1
	for i, re := range topicRes {
		if m := re.FindStringIndex(frame); m != nil && m[0] < at {
			best, at = i, m[0]
		}
	}
	if best < 0 {
		return nil
	}
	t := topicWords[best].topic
	return &t
}

// frameOf returns text with the title taken out.
func frameOf(text, title string) string {
	if title == "" {
		return text
	}
	return strings.Replace(text, title, " ", 1)
}

func cleanTitle(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'“”‘’«»*_~?!.,;:`, r)
	})
	return strings.Join(strings.Fields(s), " ")
}
