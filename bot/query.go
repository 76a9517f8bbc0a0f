package bot

import (
	"regexp"
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

// rx compiles a pattern in which every apostrophe also matches the typographic
// one phones insert: "what's" and "what’s" read the same.
func rx(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, "'", "['’]"))
}

// guarded is a pattern with the lower-case words it cannot match without:
// when none of needs occurs in the question the regexp is not run at all.
// A regexp costs microseconds; a substring check nanoseconds.
type guarded struct {
	re    *regexp.Regexp
	needs []string
}

func (g guarded) possible(lower string) bool {
	return containsAny(lower, g.needs)
}

// containsAny reports whether s holds one of words; no words is no condition.
func containsAny(s string, words []string) bool {
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// lead is a phrase before the title. It is anchored at the start, so it
// can only match when the question's first word is one of first.
type lead struct {
	re      *regexp.Regexp
	first   []string
	needs   []string // and, when set, the question holds one of these
	topical bool     // it has topic words: skipped when the text has none
}

// tail is a phrase after the title.
type tail struct {
	guarded
	topical bool
	// last, when set, must accept the text's last word for the pattern to be tried.
	last func(word string) bool
}

var (
	// Discord mentions (<@123>, <@!123>, <@&role>, <#channel>), Slack mentions
	// (<@U123>, <@U123|name>, <!here>, <!subteam^S1|team>) and Discord custom emoji.
	mentionToken = regexp.MustCompile(`<[@#!][^>\s]*>|<!(?:here|channel|everyone)[^>]*>|<a?:\w+:\d+>`)
	// brokenMention takes apart what is left of a malformed token, so no "<@" or "<!" reaches the title.
	brokenMention = strings.NewReplacer("<@", " ", "<!", " ")
	botName       = regexp.MustCompile(`(?i)^(?:hey|hi|hello|ok|okay)?[\s,]*@?advisory(?:bot)?\b[\s,:]*`)
	helpText      = rx(`(?i)^(?:help|\?|h|commands|usage|how (?:do i|does this|to) (?:use|work)\b.*|what can you do\??|(?:hi|hello|hey|hiya)(?: there)?|(?:(?:ok|okay|great|cool|perfect)[\s,.!]+)?(?:thanks|thank you|thx|cheers)(?: (?:a lot|so much|very much))?|ok|okay|k|cool|great|nice|got it)$`)
	parenYear     = regexp.MustCompile(`\s*[(\[]\s*(\d{4})\s*[)\]]`)
	trailingYear  = regexp.MustCompile(`(?i)\s*(?:,\s*|\s+(?:from|in|of)\s+(?:the\s+year\s+)?|\s+)(\d{4})$`)
	// leadingYear is "the 2016 Ballerina"; without "the" a leading number is a title ("1917", "2012").
	leadingYear = regexp.MustCompile(`^(?i:the)\s+(\d{4})\s+(\S.*)$`)
	ageWordNums = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18,
	}
	num = `(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)`
	// child is who an age belongs to.
	child = `(?:kids?|children|child|son|daughter|boy|girl|grandson|granddaughter|niece|nephew|twins?)`
	// Age phrases, with the words that lead into them, so removing the match leaves the title alone.
	agePhrases = []struct {
		guarded
		offset int  // added to the number: "under 13" means 12
		pair   bool // two numbers: tried only when mayHavePair
	}{
		// "my kids are 7 and 10": the youngest counts.
		{guarded{rx(`(?i)\b(?:my|our)\s+(?:kids|children|boys|girls|sons|daughters|twins|grandkids|grandchildren)\s+are\s+(?:only\s+|just\s+)?\b` + num + `(?:\s*(?:,|and|&)\s*` + num + `)?\b(?:[\s-]*(?:years?|yrs?|yr)(?:[\s-]*old)?\b)?\s*[,;.:–—-]?`), []string{" are "}}, 0, false},
		// "my daughter is 9", "he's 8": before the "N year old" phrase, which would leave "my daughter is" behind.
		{guarded{rx(`(?i)(?:\b(?:my|our)\s+(?:(?:little|eldest|oldest|youngest|younger|older)\s+)?` + child + `\s+is|\b(?:she|he)(?:'s|\s+is))\s+(?:only\s+|just\s+)?\b` + num + `\b(?:[\s-]*(?:years?|yrs?|yr)(?:[\s-]*old)?\b)?\s*[,;.:–—-]?`), []string{" is ", "'s ", "’s "}}, 0, false},
		// "my 7 and 10 year olds": the youngest counts.
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|our|your|the)\b)?\s*\b` + num + `\s*(?:,|and|&|or)\s*` + num + `[\s-]*(?:years?|yrs?|yr)[\s-]*olds?\b(?:\s+` + child + `)?`), []string{"old"}}, 0, true},
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your|the|his|her|their)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl|teens?)\b)?\s*(?:\b(?:who\s+is|who's|aged?|of)\s+)?\b` + num + `[\s-]*(?:years?|yrs?|yr)[\s-]*olds?\b(?:\s+` + child + `)?`), []string{"old"}}, 0, false},
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl)\b)?\s*\b` + num + `\s*(?:yo|y/o|y\.o\.?)(?:\s+` + child + `)?(?:\b|$)`), []string{"yo", "y/o", "y.o"}}, 0, false},
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|a|an|our|your)\b)?(?:\s*\b(?:kids?|children|child|son|daughter|boy|girl|someone|people)\b)?\s*\b(?:aged?|ages)\s+` + num + `\b(?:\s*(?:and|or)\s*(?:up|over|older))?`), []string{"age"}}, 0, false},
		// "12+", "for 11 +": the youngest age a film is for.
		{guarded{rx(`(?i)(?:\s*\b(?:for|to)\b)?(?:\s*\b(?:ages?|aged)\b)?\s*\b` + num + `\s*\+`), []string{"+"}}, 0, false},
		// "too mature for 12", "ok for 10s": a bare number after "for" ends the question.
		// Digits only: "Tea for Two" is a film.
		{guarded{rx(`(?i)\s*\bfor\s+(?:an?\s+)?\b(\d{1,2})s?$`), []string{"for "}}, 0, false},
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?(?:\s*\b(?:my|our|your)\b)?\s*\b(?:kids?|children|child)\s+(?:under|below|younger than)\s+` + num + `\b`), []string{"under", "below", "younger"}}, -1, false},
		{guarded{rx(`(?i)(?:\s*\b(?:for|with|to)\b)?\s*\b(?:under|below|younger than)[\s-]+` + num + `s?\b`), []string{"under", "below", "younger"}}, -1, false},
	}
	// Topic vocabulary. Only the question's frame is searched, never the title,
	// so "Violent Night" or "Scary Movie" stay titles.
	topicWords = []struct {
		topic Topic
		re    string
	}{
		{catalog.Profanity, `swearing|swear\s*words?|swears?|sweary|cursing|curse\s*words?|cussing|cuss\s*words?|bad\s+language|foul\s+language|strong\s+language|language|profanity|profanities|bad\s+words|f-?words?|f-?bombs?|expletives?|obscenit(?:y|ies)`},
		{catalog.SexualContent, `sexual\s+content|sex\s+scenes?|sexual\s+violence|sexual|sex|nudity|nude\s+scenes?|nudes?|naked(?:ness)?|sexiness|sexy\s+stuff|sexy|raunchy|steamy|rape|making\s+out`},
		{catalog.Substances, `drugs?\s+use|drug\s+use|drugs|drug|alcohol|drinking|smoking|cigarettes|substances?|substance\s+use|weed|marijuana|booze`},
		{catalog.Frightening, `jump\s*scares?|scary\s+(?:scenes?|parts?|bits?|stuff)|scares|scary|spooky|frightening|terrifying|frights?|intense\s+scenes?|intensity|intense|horror|disturbing\s+(?:scenes?|content)|disturbing|creepy|nightmares?`},
		{catalog.Violence, `violence|violent|gore|gory|gruesome|blood|bloody|fighting|fights|killing|killings|guns?|weapons?|deaths?`},
	}
	// topicStems: at least one is in any text a topic pattern can match.
	topicStems = []string{"swear", "curs", "cuss", "language", "profan", "word", "f-", "bomb", "expletive", "obscen",
		"sex", "nud", "naked", "raunch", "steam", "rape", "making",
		"drug", "alcohol", "drink", "smok", "cigarette", "substance", "weed", "marijuana", "booze",
		"scar", "spook", "fright", "terrif", "intens", "horror", "disturb", "creep", "nightmare",
		"violen", "gore", "gory", "grue", "blood", "fight", "kill", "gun", "weapon", "death"}
	// topicRe finds the first topic word; its capture group says which topic.
	topicRe = func() *regexp.Regexp {
		parts := make([]string, len(topicWords))
		for i, t := range topicWords {
			parts[i] = `(` + t.re + `)`
		}
		return regexp.MustCompile(`(?i)\b(?:` + strings.Join(parts, "|") + `)\b`)
	}()
	anyTopic = func() string {
		parts := make([]string, len(topicWords))
		for i, t := range topicWords {
			parts[i] = t.re
		}
		return `(?:` + strings.Join(parts, "|") + `)`
	}()
	// topicAdjective is a bare topic word that can end a question ("is Ballerina violent?").
	// Nouns are left alone: they end titles ("There Will Be Blood").
	topicAdjective = `(?:violent|gory|bloody|gruesome|scary|spooky|frightening|terrifying|creepy|disturbing|intense|sexual|sexy|raunchy|steamy|sweary)`
	// isIt is the verb of a question put after the title: "Ballerina is ok", "Ballerina - is it too scary".
	isIt = `(?:\s*[-–—,:;])?\s+(?:(?:is|are|was|would\s+be|be)\s+(?:(?-i:it|this|that)\s+)?)?`

	// Frames: leading and trailing phrases around the title. Each is stripped
	// repeatedly; what remains is the title. Patterns using topic words are
	// only tried when the question has one.
	leadFrames = []lead{
		{rx(`(?i)^(?:please|pls|hey|hi|hello|so|and|but|also|ok|okay|um|uh|quick question|question)\b[\s,:;-]*`), []string{"please", "pls", "hey", "hi", "hello", "so", "and", "but", "also", "ok", "okay", "um", "uh", "quick", "question"}, nil, false},
		{rx(`(?i)^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|check|look\s+up|say)\b\s*(?:(?:if|whether|about|on)\b)?\s*`), []string{"can", "could", "would", "will"}, nil, false},
		{rx(`(?i)^(?:tell\s+me|i\s+want\s+to\s+know|i'?d\s+like\s+to\s+know|do\s+you\s+know|wondering|i'?m\s+wondering|let\s+me\s+know)\b\s*(?:(?:if|whether|about|on)\b)?\s*`), []string{"tell", "i", "id", "im", "do", "wondering", "let"}, nil, false},
		{rx(`(?i)^(?:/?advisory|check|lookup|look\s+up|search|find|review|info|information|details|rating|parents?'?\s+guide|parental\s+guide|content\s+advisory|advisories)\b\s*(?:(?:for|on|of|about)\b)?\s*[:\-]?\s*`), []string{"advisory", "check", "lookup", "look", "search", "find", "review", "info", "information", "details", "rating", "parent", "parents", "parental", "content", "advisories"}, nil, false},
		{rx(`(?i)^(?:what(?:'?s|\s+is)|how\s+is|how'?s)\s+(?:the\s+)?(?:rating|age\s+rating|advisory|parents?'?\s+guide)\s+(?:for|of|on)\s+`), []string{"what", "whats", "how", "hows"}, nil, false},
		{rx(`(?i)^what\s+(?:is|was)\s+(?:the\s+movie\s+|the\s+film\s+|the\s+show\s+)?(?:rated|rating)\s+(?:(?:for|of)\b)?\s*`), []string{"what"}, nil, false},
		{rx(`(?i)^what\s+(?:age\s+rating|rating|certificate|age)\s+(?:is|does|has)\s+`), []string{"what"}, nil, false},
		{rx(`(?i)^(?:what|how)(?:'?s)?\s+(?:is\s+|was\s+)?(?P<title>.+?)\s+rated$`), []string{"what", "whats", "how", "hows"}, []string{"rated"}, false},
		{rx(`(?i)^(?:should|can|could|may|would|will)\s+(?:(?:i|we|they|he|she|my\s+\w+|our\s+\w+|kids|children|the\s+kids)\s+)?(?:let\s+(?:(?:my|our|the|(?-i:them|him|her))\s+)?(?:\w+\s+)?)?(?:watch|see|view|stream|show(?:\s+(?:(?:(?:my|our|the)\s+)?(?:kids?|children|son|daughter|family|boy|girl)|(?-i:them|him|her)))?)\s+`), []string{"should", "can", "could", "may", "would", "will"}, nil, false},
		{rx(`(?i)^(?:is\s+it|it\s+is)\s+(?:ok|okay|safe|fine|alright|appropriate|suitable)\s+(?:for\s+\S+(?:\s+\S+)?\s+)?to\s+(?:watch|see|show)\s+`), []string{"is", "it"}, nil, false},
		{rx(`(?i)^(?:what\s+about|how\s+about)\s+(?:the\s+)?`), []string{"what", "how"}, nil, false},
		{rx(`(?i)^(?:how\s+much|how\s+many|how'?s|how\s+(?:is|are)|is\s+there(?:\s+any)?|are\s+there(?:\s+any)?|is\s+there\s+a\s+lot\s+of|are\s+there\s+a\s+lot\s+of|any|what|what'?s|what\s+is|what\s+kind\s+of|what\s+sort\s+of|tell\s+me\s+about)\s+(?:the\s+)?(?:a\s+lot\s+of\s+|lots\s+of\s+|much\s+)?` + anyTopic + `(?:\s*(?:,|and|or|&)\s*(?:the\s+)?` + anyTopic + `)?\s+(?:like\s+)?(?:(?:is|are)\s+(?:there\s+)?|does\s+it\s+have\s+)?(?:like\s+)?(?:in|does|on|for|of)\s+(?:the\s+(?:movie|film|show)\s+)?`), []string{"how", "hows", "is", "are", "any", "what", "whats", "tell"}, nil, true},
		{rx(`(?i)^how\s+(?:bad|strong|graphic|explicit|intense)\s+(?:is|are)\s+(?:the\s+)?` + anyTopic + `\s+(?:in|on)\s+`), []string{"how"}, nil, true},
		{rx(`(?i)^how\s+(?:violent|scary|frightening|bloody|gory|sexual|intense|creepy|disturbing)\s+(?:is|are|was)\s+`), []string{"how"}, nil, true},
		{rx(`(?i)^(?:is|are|was|does|do|did|has|have|will|would)\s+`), []string{"is", "are", "was", "does", "do", "did", "has", "have", "will", "would"}, nil, false},
		{rx(`(?i)^(?:the\s+)?(?:movie|film|show|series)\s+`), []string{"the", "movie", "film", "show", "series"}, nil, false},
		// "would [my 9 yr old] be ok with Ballerina"
		{rx(`(?i)^(?:be\s+)?(?:ok|okay|safe|fine|alright|appropriate|suitable)\s+(?:with|to\s+(?:watch|see|show))\s+`), []string{"be", "ok", "okay", "safe", "fine", "alright", "appropriate", "suitable"}, nil, false},
		// "the new Ballerina movie": lower-case words only, so "The New Mutants" and "The Lego Movie" stay.
		{rx(`^(?:the\s+)?(?:new|latest|original|old)\s+(?P<title>.+?)\s+(?:movie|film|show|series)$`), []string{"the", "new", "latest", "original", "old"}, nil, false},
	}
	tailFrames = []tail{
		{guarded{rx(`(?i)[\s,;:-]+(?:please|pls|plz|thanks|thank\s+you|thx|for\s+me|for\s+us)$`), []string{"please", "pls", "plz", "thank", "thx", "for me", "for us"}}, false, nil},
		// Someone who asks anything after the title ("Ballerina - is it ok?", "Ballerina, does it have swearing").
		{guarded{rx(`(?:\s*[-–—,:;])?\s+(?i:is|are|was|does|has|would|will|could|can)\s+(?:it|this|this\s+one|that)\b.*$`), []string{"it", "this", "that"}}, false, nil},
		{guarded{rx(`(?i)\s+(?:to\s+watch|to\s+see|to\s+show\s+(?:them|him|her|my\s+\w+))$`), []string{"to "}}, false, nil},
		{guarded{rx(`(?i)\s+(?:(?:for|with|by)\s+(?:my\s+|our\s+|the\s+|a\s+|young\s+|little\s+)*|to\s+(?:my|our)\s+(?:young\s+|little\s+)*)(?:kids?|children|child|family|families|family\s+night|teens?|teenagers?|tweens?|little\s+ones|toddlers?|son|daughter|boy|girl|everyone|all\s+ages|the\s+whole\s+family)$`), []string{"for ", "with ", "by ", "to "}}, false, nil},
		{guarded{rx(`(?i)` + isIt + `(?:(?:ok|okay|safe|fine|alright|appropriate|suitable|good|acceptable|right|too\s+\w+)(?:\s+(?:for|to))?|family[\s-]*(?:safe|friendly|appropriate)|kid[\s-]*(?:safe|friendly|appropriate)|child[\s-]*(?:safe|friendly|appropriate)|age[\s-]*appropriate|clean|rated|rated\s+(?:g|pg|pg-?13|r|nc-?17|tv-?(?:y7?|g|pg|14|ma))|any\s+good|worth\s+(?:it|watching))$`), nil}, false, nil},
		{guarded{rx(`(?i)\s+(?:(?:age\s+)?rating|(?:content|parents?'?|parental)\s+(?:guide|advisory|rating)|certificate|certification)$`), []string{"rating", "guide", "advisory", "certific"}}, false, nil},
		{guarded{rx(`(?i)\s+(?:(?:have|has|contain|contains|include|includes|show|shows|got)\s+(?:any\s+|a\s+lot\s+of\s+|lots\s+of\s+|much\s+|many\s+)?` + anyTopic + `(?:\s+in\s+it)?)$`), []string{"ha", "contain", "include", "show", "got"}}, true, nil},
		{guarded{rx(`(?i)` + isIt + `(?:too|very|really|that|so|overly)\s+` + anyTopic + `$`), []string{"too", "very", "really", "that", "so", "overly"}}, true, nil},
		// "is Ballerina PG?": a rating written as one, in capitals.
		{guarded{rx(`\s+(?:(?i:rated)\s+)?(?:PG-?13|PG|NC-?17|TV-?(?:Y7|Y|G|PG|14|MA)|R|G)(?:[\s-]+(?i:rated))?$`), nil}, false, isRatingWord},
		{guarded{rx(`(?i)\s+(?:or\s+not|at\s+all|though|then)$`), []string{"not", "at all", "though", "then"}}, false, nil},
	}
	// questionTail strips a bare topic adjective at the end ("is Ballerina violent"),
	// only once a question word was stripped.
	questionTail = rx(`(?i)` + isIt + topicAdjective + `$`)
	// moodTail is a bare word of feeling after the title ("is Wicked sad?"): no
	// topic of its own, and only once a question word was stripped.
	moodTail     = rx(`(?i)\s+(?:sad|upsetting|emotional|traumatic|depressing|inappropriate|too\s+much)$`)
	questionLead = rx(`(?i)^(?:is|are|was|does|do|did|has|have|will|would)\s+`)
	topicOnly    = rx(`(?i)^(?:there\s+(?:is\s+|are\s+)?)?(?:the\s+|any\s+|some\s+|a\s+lot\s+of\s+|lots\s+of\s+|much\s+|too\s+much\s+)?` + anyTopic + `(?:\s+(?:in\s+it|in\s+this(?:\s+one)?|then|though|too|as\s+well|like))?$`)
	// leftover is what can remain of a follow-up once its frame is gone: "how about [for a 10 year old]".
	leftover    = rx(`(?i)^(?:what\s+about|how\s+about|and|also|so|but|then|(?:for|with|to)\s+(?:(?:my|our|the|a|young|little)\s+)*(?:kids?|children|child|family|teens?|teenagers?|tweens?|little\s+ones|toddlers?|son|daughter|boy|girl|everyone|all\s+ages|the\s+whole\s+family))$`)
	familyWords = rx(`(?i)\b(?:family|families|kids?|kid-?friendly|children|child|child-?friendly|safe|ok|okay|appropriate|suitable|alright|fine|clean|toddlers?|teens?|teenagers?|tweens?|little\s+ones|son|daughter|let\s+\w+\s+watch|can\s+(?:my|our)\b|what\s+age)`)
	pronoun     = regexp.MustCompile(`^(?:it|this|that|this\s+one|that\s+one|this\s+movie|that\s+movie|this\s+film|that\s+film|this\s+show|that\s+show|the\s+movie|the\s+film|the\s+show|same\s+one)$`)
	teenWords   = regexp.MustCompile(`(?i)\b(?:teens?|teenagers?)\b`)
)

// maxQueryLen bounds what the parser reads; nobody types a 500-character film title.
const maxQueryLen = 500

// Parse understands free text from a slash command, a mention or a DM.
func Parse(text string) Query {
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
	text = botName.ReplaceAllString(text, "")
	text = strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r == '?' || r == '!' || r == '.' || r == ',' || isEmoji(r)
	})
	if text == "" || helpText.MatchString(text) {
		return Query{Intent: IntentHelp}
	}
	var q Query
	original := text
	// lower is for the keyword checks that skip patterns which cannot match.
	lower, ok := asciiLower(text)
	if !ok {
		lower = strings.NewReplacer("\u017f", "s", "\u212a", "k").Replace(strings.ToLower(text))
	}
	topical := hasTopicStem(lower)

	// A year in brackets is never part of the title.
	if strings.ContainsAny(text, "([") {
		if m := parenYear.FindStringSubmatchIndex(text); m != nil {
			if y, _ := strconv.Atoi(text[m[2]:m[3]]); y >= minYear && y <= maxYear {
				q.Year = &y
				text = strings.TrimSpace(text[:m[0]] + text[m[1]:])
			}
		}
	}
	text, q.Age = extractAge(text, lower)
	title, frame := stripFrames(text, lower, topical)
	if topical && mayHaveTopic(title) && topicOnly.MatchString(title) || leftover.MatchString(title) {
		// "what about the language?": a topic follow-up, not a film called "language".
		frame, title = frame+" "+title, ""
	}
	if q.Age == nil && teenWords.MatchString(frame) {
		// "for my teen": the youngest teenager is the conservative reading.
		thirteen := 13
		q.Age = &thirteen
	}
	if topical {
		q.Topic = findTopic(frame)
	}
	if q.Year == nil {
		if m := trailingYear.FindStringSubmatchIndex(title); m != nil && m[0] > 0 {
			if y, _ := strconv.Atoi(title[m[2]:m[3]]); y >= minYear && y <= maxYear {
				q.Year = &y
				title = strings.TrimSpace(title[:m[0]])
			}
		} else if m := leadingYear.FindStringSubmatchIndex(title); m != nil {
			if y, _ := strconv.Atoi(title[m[2]:m[3]]); y >= minYear && y <= maxYear {
				q.Year = &y
				title = title[m[4]:m[5]]
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

// isEmoji is a pictograph, or a joiner or modifier of one, around a question.
func isEmoji(r rune) bool {
	return r >= 0x2000 && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Cf, r) || r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF))
}

// extractAge finds "my 12 year old", "a 14-year-old", "age 10", "kids under 13".
// lower is the lower-cased text, for the phrases' keyword checks.
func extractAge(text, lower string) (string, *int) {
	from := ageSearchStart(text)
	if from < 0 {
		return text, nil
	}
	for _, p := range agePhrases {
		if !p.possible(lower) || p.pair && !mayHavePair(lower) {
			continue
		}
		m := p.re.FindStringSubmatchIndex(text[from:])
		if m == nil {
			continue
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += from
			}
		}
		n := ageNumber(text[m[2]:m[3]])
		if len(m) > 4 && m[4] >= 0 {
			// Two ages: the youngest decides.
			n = min(n, ageNumber(text[m[4]:m[5]]))
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

// agePrefixWords are the words an age phrase can have before its number:
// "for my son who is 9", "she's 9", "kids under 13", "aged 7".
var agePrefixWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`for with to my a an our your the his her their
		kid kids children child son daughter boy girl teen teens grandson granddaughter niece nephew twin twins
		someone people little eldest oldest youngest younger older than under below
		who is who's of age aged ages she he she's he's only just
		are boys girls sons daughters grandkids grandchildren`) {
		m[w] = true
	}
	return m
}()

// ageSearchStart is where an age phrase can begin at the earliest: at the
// first number, or before it as far as the words before it are age-phrase
// words. It is -1 when the text has no number, so no age phrase. Starting
// there, not at 0, saves trying every age pattern at every word of the title.
func ageSearchStart(text string) int {
	if strings.ContainsAny(text, "\u017f\u212a") {
		return 0 // runes (?i) folds to ASCII letters: search everything
	}
	start := firstNumber(text)
	for words := 0; start > 0 && words < 8; words++ {
		// Words of a phrase are apart by spaces ("under - 13" by a dash too);
		// its first word only needs a boundary before it.
		j := start
		for j > 0 && (asciiSpace(text[j-1]) || text[j-1] == '-') {
			j--
		}
		if j == start {
			break // "(12 year old)": nothing joins the number from before
		}
		// The word, with apostrophes ("who's"), or without: \b also holds
		// after an apostrophe, so "A'my 9 year old" starts at "my".
		word := j
		for word > 0 && isWordByte(text[word-1]) {
			word--
		}
		k := j
		for k > 0 {
			if isWordByte(text[k-1]) || text[k-1] == '\'' {
				k--
			} else if strings.HasSuffix(text[:k], "’") {
				k -= len("’")
			} else {
				break
			}
		}
		switch {
		case agePrefixWords[strings.ReplaceAll(strings.ToLower(text[k:j]), "’", "'")]:
			start = k
		case agePrefixWords[strings.ToLower(text[word:j])]:
			start = word
		default:
			return start
		}
	}
	return start
}

// mayHavePair reports whether lower may hold two ages joined as num joins
// them ("7 and 10", "6, 9", "8&11"): a cheap check before that pattern.
func mayHavePair(lower string) bool {
	for i := 0; i < len(lower); i++ {
		if c := lower[i]; '0' <= c && c <= '9' {
			if i > 0 && '0' <= lower[i-1] && lower[i-1] <= '9' {
				continue
			}
			end := i
			for end < len(lower) && '0' <= lower[end] && lower[end] <= '9' {
				end++
			}
			if numberFollows(lower[end:]) {
				return true
			}
			continue
		}
		for _, w := range numberWords {
			if strings.HasPrefix(lower[i:], w) && numberFollows(lower[i+len(w):]) {
				return true
			}
		}
	}
	return false
}

// numberFollows reports whether s starts with ",", "&", "and" or "or" and then a number.
func numberFollows(s string) bool {
	s = strings.TrimLeft(s, " \t\n\f\r")
	switch {
	case strings.HasPrefix(s, ","), strings.HasPrefix(s, "&"):
		s = s[1:]
	case strings.HasPrefix(s, "and"):
		s = s[3:]
	case strings.HasPrefix(s, "or"):
		s = s[2:]
	default:
		return false
	}
	s = strings.TrimLeft(s, " \t\n\f\r")
	if s != "" && '0' <= s[0] && s[0] <= '9' {
		return true
	}
	for _, w := range numberWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// numberWords are the ages written out that num matches.
var numberWords = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"}

// firstNumber is the first word start (as \b sees it) holding a digit or
// beginning with a number word, or -1.
func firstNumber(text string) int {
	for i := 0; i < len(text); i++ {
		if i > 0 && isWordByte(text[i-1]) {
			continue
		}
		c := text[i]
		if '0' <= c && c <= '9' {
			return i
		}
		for _, w := range numberWords {
			if len(text)-i >= len(w) && strings.EqualFold(text[i:i+len(w)], w) {
				return i
			}
		}
	}
	return -1
}

func ageNumber(word string) int {
	if n, ok := ageWordNums[strings.ToLower(word)]; ok {
		return n
	}
	n, _ := strconv.Atoi(word)
	return n
}

// stripFrames removes question phrasing around the title and returns the
// title and the removed frame (where topics and family words are looked for).
// lower is the lower-cased question, for the patterns' keyword checks; topical
// says whether it has a topic word at all.
func stripFrames(text, lower string, topical bool) (title, frame string) {
	var removed []string
	asked := false
	for changed := true; changed; {
		changed = false
		// Once the text left has no topic word, its topic patterns cannot match.
		topical = topical && mayHaveTopic(text)
		first := leadingWord(text)
		// The keyword checks read what is left of the text, once it is shorter.
		if cur, ok := asciiLower(text); ok {
			lower = cur
		}
		for _, f := range leadFrames {
			if f.topical && !topical || !oneOf(first, f.first) || !containsAny(lower, f.needs) {
				continue
			}
			m := f.re.FindStringSubmatchIndex(text)
			if m == nil || m[1] == 0 {
				continue
			}
			if i := f.re.SubexpIndex("title"); i > 0 && m[2*i] >= 0 {
				// "what is X rated": the title sits inside the frame.
				removed = append(removed, text[:m[2*i]], text[m[2*i+1]:])
				text = text[m[2*i]:m[2*i+1]]
				first = leadingWord(text)
				changed = true
				continue
			}
			if m[1] >= len(text) {
				continue // never strip the whole text: it may be the title ("Is", "Up")
			}
			asked = asked || questionLead.MatchString(text)
			removed = append(removed, text[:m[1]])
			text = strings.TrimSpace(text[m[1]:])
			first = leadingWord(text)
			changed = true
		}
		// A topic tail ends in its topic word ("... too scary", "... have swearing in it").
		topicalEnd := topical && mayHaveTopic(lastWords(text, 4))
		for _, f := range tailFrames {
			if f.topical && !topicalEnd || !f.possible(lower) || f.last != nil && !f.last(lastWords(text, 1)) {
				continue
			}
			m := f.re.FindStringIndex(text)
			if m == nil || m[0] == 0 {
				continue
			}
			removed = append(removed, text[m[0]:])
			text = strings.TrimSpace(text[:m[0]])
			topicalEnd = topical && mayHaveTopic(lastWords(text, 4))
			changed = true
		}
		if asked && !changed {
			for _, re := range [...]*regexp.Regexp{questionTail, moodTail} {
				if re == questionTail && !topicalEnd {
					continue
				}
				if m := re.FindStringIndex(text); m != nil && m[0] > 0 {
					removed = append(removed, text[m[0]:])
					text = strings.TrimSpace(text[:m[0]])
					changed = true
					break
				}
			}
		}
	}
	return text, strings.Join(removed, " ")
}

// isRatingWord is a last word a rating tail can end with: "PG", "PG-13", "R-rated".
func isRatingWord(w string) bool {
	w = strings.TrimSpace(w)
	if len(w) >= 5 && strings.EqualFold(w[len(w)-5:], "rated") {
		return true
	}
	switch strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(w, "TV-"), "TV")) {
	case "PG", "PG-13", "PG13", "R", "G", "NC-17", "NC17", "Y", "Y7", "14", "MA":
		return true
	}
	return false
}

// leadingWord is the run of ASCII letters the text starts with, after an
// optional slash ("/advisory"). When the text holds a rune that (?i) folds to
// an ASCII letter (ſ, the Kelvin sign) it is "", which oneOf lets through.
func leadingWord(text string) string {
	if strings.ContainsAny(text, "\u017f\u212a") {
		return ""
	}
	w := strings.TrimPrefix(text, "/")
	i := 0
	for i < len(w) && ('a' <= w[i]|0x20 && w[i]|0x20 <= 'z') {
		i++
	}
	return w[:i]
}

// oneOf reports whether the lead word w may start a phrase beginning with one of words.
func oneOf(w string, words []string) bool {
	if w == "" || words == nil {
		return true
	}
	for _, x := range words {
		if strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// lastWords is the end of s from its n-th last space.
func lastWords(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		i = strings.LastIndexByte(s[:i], ' ')
		if i < 0 {
			return s
		}
	}
	return s[i:]
}

// mayHaveTopic reports whether s may hold a topic word.
func mayHaveTopic(s string) bool {
	lower, ok := asciiLower(s)
	return !ok || hasTopicStem(lower)
}

// findTopic is the topic of the first topic word in the frame; at one place
// the earlier topic in topicWords wins ("sexual violence" is sexual content).
// The search starts just before the first topic stem: trying the long
// alternation at every word of the frame is most of the cost of a topic question.
func findTopic(frame string) *Topic {
	start := 0
	if lower, ok := asciiLower(frame); ok {
		first := -1
		for _, s := range topicStems {
			if i := strings.Index(lower, s); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
		if first < 0 {
			return nil
		}
		// A match starts at the word holding its first stem, or one word
		// earlier for "bad language", "strong language", "jump scares"
		// (a stem inside another word, "skill", only starts the search sooner).
		start = wordStart(frame, first)
		gap := start
		for gap > 0 && asciiSpace(frame[gap-1]) {
			gap--
		}
		if p := wordStart(frame, gap); gap < start {
			switch strings.ToLower(frame[p:gap]) {
			case "bad", "foul", "strong", "jump":
				start = p
			}
		}
	}
	m := topicRe.FindStringSubmatchIndex(frame[start:])
	for i := range topicWords {
		if m != nil && m[2*i+2] >= 0 {
			t := topicWords[i].topic
			return &t
		}
	}
	return nil
}

// wordStart is where the word holding s[i] begins: \b holds there as in s.
func wordStart(s string, i int) int {
	for i > 0 && isWordByte(s[i-1]) {
		i--
	}
	return i
}

// asciiLower lower-cases A-Z only, so byte offsets in the copy are offsets in s.
// It reports false when s holds a rune that (?i) folds to an ASCII letter
// (ſ, the Kelvin sign): then a plain substring check could miss a match.
func asciiLower(s string) (string, bool) {
	if strings.ContainsAny(s, "\u017f\u212a") {
		return "", false
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b), true
}

// asciiSpace is what \s matches.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v'
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// hasTopicStem reports whether lower (from asciiLower) may hold a topic word.
func hasTopicStem(lower string) bool {
	for _, s := range topicStems {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// frameOf returns text with the title taken out.
func frameOf(text, title string) string {
	if title == "" {
		return text
	}
	return strings.Replace(text, title, " ", 1)
}

func cleanTitle(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'“”‘’«»*_~?!.,;:`, r) || isEmoji(r)
	})
	return strings.Join(strings.Fields(s), " ")
}
