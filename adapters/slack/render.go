package slack

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"advisorybot/bot"
	"advisorybot/internal/replyview"
)

// Action ids of the buttons the adapter renders. Pick buttons carry an index
// suffix ("advisory.pick.1") because Slack wants action ids unique in a block.
const (
	ActionPick    = "advisory.pick"
	ActionShare   = "advisory.share"
	ActionDetails = "advisory.details"
)

// Slack's limits that rendering must respect.
const (
	maxSectionText = 3000
	maxHeaderText  = 150
	maxButtonText  = 75
	maxButtons     = 5 // choices shown; the rest are reachable by adding the year
)

// View says how a reply is shown.
type View struct {
	// Ephemeral replies (slash commands) get a "Share in channel" button.
	Ephemeral bool
	// Details shows the rest of a curated review: every note, the rating's
	// reasons, themes, critic and credits.
	Details bool
}

// Message is a rendered reply: blocks plus the notification (fallback) text.
// Both are already escaped for mrkdwn.
type Message struct {
	Text   string        `json:"text,omitempty"`
	Blocks []slack.Block `json:"blocks,omitempty"`
}

// Empty reports a reply that must not be sent (a duplicate delivery).
func (m Message) Empty() bool { return m.Text == "" && len(m.Blocks) == 0 }

// Choice is what a button carries: one title, and the age and topic asked.
type Choice struct {
	ID    string
	Age   int
	Topic bot.Topic
}

// Options turns a choice into structured bot options.
func (c Choice) Options() *bot.Options {
	return &bot.Options{ID: c.ID, Age: c.Age, Topic: c.Topic}
}

// encode is the button value: "id=ballerina-2023&age=10&topic=profanity".
func (c Choice) encode() string {
	v := "id=" + url.QueryEscape(c.ID)
	if c.Age > 0 {
		v += "&age=" + strconv.Itoa(c.Age)
	}
	if c.Topic != "" {
		v += "&topic=" + url.QueryEscape(string(c.Topic))
	}
	return v
}

// maxValue is Slack's limit on a button value.
const maxValue = 2000

// DecodeChoice parses a button value written by encode.
func DecodeChoice(value string) (Choice, error) {
	if len(value) > maxValue {
		return Choice{}, fmt.Errorf("button value of %d bytes is too long", len(value))
	}
	q, err := url.ParseQuery(value)
	if err != nil {
		return Choice{}, fmt.Errorf("decoding button value: %w", err)
	}
	c := Choice{ID: q.Get("id"), Topic: bot.Topic(q.Get("topic"))}
	if c.ID == "" || len(c.ID) > 200 {
		return Choice{}, fmt.Errorf("button value %q names no title", value)
	}
	if a := q.Get("age"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 || n > 99 {
			return Choice{}, fmt.Errorf("button value has a bad age %q", a)
		}
		c.Age = n
	}
	return c, nil
}

// Escape escapes text for mrkdwn: the three characters Slack treats as
// control characters, so echoed text can never become <!channel> or a
// user ping.
func Escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// userText escapes text that may carry what the user typed (the title
// asked, and the bot's text that quotes it): as Escape does, and with
// anything that could become a link broken by an invisible zero-width
// space (U+200B): a scheme's "://", a domain's dot before its next label,
// an e-mail address's "@", a Markdown link's "](". Block text is sent
// verbatim, so Slack does not link it itself; this holds for the
// notification text too, and for whatever renders the text later.
func userText(s string) string { return unlink(Escape(s)) }

const zwsp = "\u200b"

// unlink breaks what Slack would auto-link in s; see userText.
func unlink(s string) string {
	if !strings.ContainsAny(s, ".:@]") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		var breaks bool
		switch c {
		case ':':
			breaks = strings.HasPrefix(s[i+1:], "//")
		case '.':
			// "evil.example", not "e.g." or "2.5": Slack links a
			// label of at least two letters after the dot.
			breaks = i > 0 && isAlnum(s[i-1]) && labelOfLetters(s[i+1:])
		case '@':
			breaks = i > 0 && isAlnum(s[i-1]) && i+1 < len(s) && isAlnum(s[i+1])
		case ']':
			breaks = strings.HasPrefix(s[i+1:], "(")
		}
		if breaks {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

func isAlnum(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' }

// labelOfLetters reports whether s starts with two letters: what a
// top-level domain starts with.
func labelOfLetters(s string) bool {
	return len(s) >= 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// unescape undoes the escaping Slack applies to incoming text.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	s = strings.ReplaceAll(s, "&lt;", "<")
	s = strings.ReplaceAll(s, "&gt;", ">")
	return strings.ReplaceAll(s, "&amp;", "&")
}

// Render turns a bot reply into Block Kit. It is a pure function of the reply
// and the view.
func Render(r bot.Reply, v View) Message {
	switch r.Status {
	case bot.StatusDuplicate:
		return Message{}
	case bot.StatusFound:
		if r.Advisory != nil && r.Verdict != nil && r.Match != nil {
			return renderAdvisory(r, v)
		}
	case bot.StatusAmbiguous:
		return renderAmbiguous(r)
	case bot.StatusNotFound:
		return renderNotFound(r)
	case bot.StatusHelp:
		if r.Help != nil {
			return renderHelp(r)
		}
	case bot.StatusError:
		if r.Error != nil {
			return renderProblem(r)
		}
	}
	return Message{Text: userText(r.Text), Blocks: []slack.Block{section(userText(r.Text))}}
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, truncate(s, maxSectionText), false, true)
}

// plain is a plain_text object. Slack decodes &amp; &lt; &gt; there too, and
// plain text never pings, but outside text (what users type, titles from
// TMDB) is escaped and unlinked everywhere all the same.
// The emoji flag only matters for text with ":shortcodes:", so it is sent
// only then: most answers have four plain_text objects.
func plain(s string, limit int) *slack.TextBlockObject {
	t := &slack.TextBlockObject{Type: slack.PlainTextType, Text: truncate(userText(s), limit)}
	if strings.Contains(s, ":") {
		emoji := true
		t.Emoji = &emoji
	}
	return t
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

// contextLine is a context block. Blocks carry no block_id: the adapter
// routes clicks by action_id, and Slack assigns ids itself.
func contextLine(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(text))
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	// Never leave half an escape such as "&am".
	if i := strings.LastIndexByte(s[:cut], '&'); i >= 0 && !strings.Contains(s[i:cut], ";") {
		cut = i
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func levelEmoji(l bot.Level) string {
	switch l {
	case bot.Safe:
		return ":large_green_circle:"
	case bot.Caution:
		return ":large_yellow_circle:"
	case bot.NotSafe:
		return ":red_circle:"
	}
	return ":white_circle:"
}

func choiceOf(r bot.Reply) Choice {
	c := Choice{ID: r.Match.ID, Age: r.Verdict.Age}
	if r.Focus != nil {
		c.Topic = *r.Focus
	}
	return c
}

// renderAdvisory is the short answer by default: the verdict and the
// reasons that decide it (after the topic asked about, if any), the rating
// for a certification, the notes and the source. The Details view adds the
// logline, each deciding category's note, the other categories, the rating
// and its reasons, themes, critic and credits. Either way a category is
// listed once.
func renderAdvisory(r bot.Reply, v View) Message {
	a, vd := r.Advisory, r.Verdict
	s := replyview.Of(r)
	details := v.Details && s.Details
	blocks := make([]slack.Block, 0, 12)
	blocks = append(blocks, slack.NewHeaderBlock(plain(r.Match.Label(), maxHeaderText)))
	if a.Source.Fixture {
		blocks = append(blocks, contextLine(":test_tube: *TEST FIXTURE — not a real advisory*"))
	}
	if r.Fact != "" {
		blocks = append(blocks, section(userText(r.Fact)))
	}
	logline := details && a.Logline != ""
	if logline && s.Focus == nil {
		blocks = append(blocks, section("_"+userText(a.Logline)+"_"))
	}
	if l := s.Focus; l != nil {
		// A topic question gets its answer first.
		text := fmt.Sprintf("*%s: %s*", userText(l.Label), userText(l.Severity))
		if l.Note != "" {
			text += "\n" + userText(l.Note)
		}
		blocks = append(blocks, section(text))
	}

	// The verdict and the rating make one section: Slack spaces paragraphs
	// as it spaces blocks, and each block costs its own JSON.
	var b strings.Builder
	fmt.Fprintf(&b, "%s *%s*", levelEmoji(vd.Level), Escape(vd.Headline()))
	for _, reason := range s.Reasons {
		if details && reason.Line != nil && reason.Line.Note != "" {
			fmt.Fprintf(&b, "\n• *%s* %s", userText(reason.Text), userText(reason.Line.Note))
			continue
		}
		fmt.Fprintf(&b, "\n• %s", userText(reason.Text))
	}
	if s.MinAge != "" {
		fmt.Fprintf(&b, "\n%s", s.MinAge)
	}
	if s.Rating != "" && (details || vd.Evidence == bot.EvidenceRating) {
		fmt.Fprintf(&b, "\n\n*Rating:* %s", userText(s.Rating))
		if s.RatingFor != "" {
			fmt.Fprintf(&b, "\nRated for: %s", userText(s.RatingFor))
		}
		if s.Release != "" {
			fmt.Fprintf(&b, "\nRated release: %s", userText(s.Release))
		}
	}
	blocks = append(blocks, section(b.String()))
	if logline && s.Focus != nil { // after the topic's answer, not before it
		blocks = append(blocks, section("_"+userText(a.Logline)+"_"))
	}

	if details {
		if len(s.Others) > 0 {
			heading := "*What's in it*"
			if s.Focus != nil || len(s.Others) < len(a.Lines) {
				heading = "*What else is in it*"
			}
			blocks = append(blocks, section(heading))
			// One section per category: notes can be long.
			for _, l := range s.Others {
				text := fmt.Sprintf("*%s:* %s", userText(l.Label), userText(l.Severity))
				if l.Note != "" {
					text += "\n" + userText(l.Note)
				}
				blocks = append(blocks, section(text))
			}
		}
		b.Reset()
		if len(a.Themes) > 0 {
			fmt.Fprintf(&b, "*Themes:* %s\n", userText(strings.Join(a.Themes, ", ")))
		}
		if a.CriticVerdict != "" {
			fmt.Fprintf(&b, "*Critic:* %s\n", userText(a.CriticVerdict))
		}
		if len(a.Directors) > 0 {
			fmt.Fprintf(&b, "*Directed by* %s\n", userText(strings.Join(a.Directors, ", ")))
		}
		if len(a.Cast) > 0 {
			fmt.Fprintf(&b, "*Cast:* %s\n", userText(strings.Join(a.Cast, ", ")))
		}
		if b.Len() > 0 {
			blocks = append(blocks, section(strings.TrimSuffix(b.String(), "\n")))
		}
	}

	blocks = appendNotes(blocks, r.Notes)
	src := "Source: " + Escape(s.Source)
	if s.SourceURL != "" {
		// The bot's own link to its source; Slack does not unfurl it
		// (text-based links from apps are not unfurled, and posts say so).
		src = fmt.Sprintf("Source: <%s|%s>", Escape(s.SourceURL), Escape(s.Source))
	}
	blocks = append(blocks, contextLine(src+" · evidence: "+s.Evidence))
	blocks = appendNotice(blocks, r.Notice)

	var buttons []slack.BlockElement
	value := choiceOf(r).encode()
	if s.Details && !v.Details {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionDetails, value, plain("Details", maxButtonText)))
	}
	if v.Ephemeral {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionShare, value, plain("Share in channel", maxButtonText)).WithStyle(slack.StylePrimary))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("", buttons...))
	}
	return Message{Text: notification(r), Blocks: blocks}
}

// appendNotes adds the reply's notes (stale data, same-name titles) as one
// section: in full-size text, not a context's small print.
func appendNotes(blocks []slack.Block, notes []string) []slack.Block {
	if len(notes) == 0 {
		return blocks
	}
	var b strings.Builder
	for i, n := range notes {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(":information_source: " + userText(n))
	}
	return append(blocks, section(b.String()))
}

// appendNotice adds the data provider's notice (TMDB's attribution).
func appendNotice(blocks []slack.Block, notice string) []slack.Block {
	if notice == "" {
		return blocks
	}
	return append(blocks, contextLine(userText(notice)))
}

// notification is an advisory's fallback text, shown in notifications and
// wherever blocks are not: the verdict with its source, and the answer to a
// topic question. The reasons are in the blocks.
func notification(r bot.Reply) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s.", r.Match.Label(), r.Verdict.Headline())
	if r.Focus != nil && len(r.Advisory.Lines) > 0 {
		l := r.Advisory.Lines[0]
		fmt.Fprintf(&b, " %s: %s.", l.Label, l.Severity)
	}
	if r.Verdict.Evidence == bot.EvidenceRating {
		b.WriteString(" Only the official rating is known.")
	}
	fmt.Fprintf(&b, " (Source: %s.)", r.Advisory.Source.Name)
	if r.Advisory.Source.Fixture {
		b.WriteString(" TEST FIXTURE — not a real advisory.")
	}
	return userText(b.String())
}

// pickButtons lists candidates as buttons that answer for the age and topic asked.
func pickButtons(r bot.Reply) *slack.ActionBlock {
	c := r.Candidates
	if len(c) > maxButtons {
		c = c[:maxButtons]
	}
	buttons := make([]slack.BlockElement, 0, len(c))
	for i, t := range c {
		ch := Choice{ID: t.ID}
		if r.Query.Age != nil {
			ch.Age = *r.Query.Age
		}
		if r.Query.Topic != nil {
			ch.Topic = *r.Query.Topic
		}
		buttons = append(buttons, slack.NewButtonBlockElement(ActionPick+"."+strconv.Itoa(i), ch.encode(), plain(t.Label(), maxButtonText)))
	}
	return slack.NewActionBlock("", buttons...)
}

func renderAmbiguous(r bot.Reply) Message {
	blocks := []slack.Block{section(fmt.Sprintf("Several titles match *%s*. Which one do you mean?", userText(r.Query.Title)))}
	if len(r.Candidates) > 0 {
		blocks = append(blocks, pickButtons(r))
		blocks = append(blocks, contextLine(fmt.Sprintf("Or ask again with the year, e.g. “%s”.", userText(replyview.Example(r.Candidates[0])))))
	}
	blocks = appendNotice(appendNotes(blocks, r.Notes), r.Notice)
	return Message{Text: userText(r.Text), Blocks: blocks}
}

func renderNotFound(r bot.Reply) Message {
	// With TMDB's notice the ratings database was asked too.
	what := "a review"
	if r.Notice != "" {
		what = "a review or an official rating"
	}
	name := "*" + userText(r.Query.Title) + "*"
	if r.Query.Year != nil {
		name += fmt.Sprintf(" from %d", *r.Query.Year)
	}
	text := fmt.Sprintf("I couldn't find %s of %s, so I can't say whether it is family-safe.", what, name)
	if r.Verdict != nil {
		text += fmt.Sprintf("\n%s *%s*", levelEmoji(r.Verdict.Level), Escape(r.Verdict.Headline()))
	}
	blocks := []slack.Block{section(text)}
	if len(r.Candidates) > 0 {
		blocks = append(blocks, section("Did you mean:"), pickButtons(r))
	} else {
		blocks = append(blocks, contextLine("Check the spelling, or ask about another title."))
	}
	blocks = appendNotice(appendNotes(blocks, r.Notes), r.Notice)
	return Message{Text: userText(r.Text), Blocks: blocks}
}

func renderHelp(r bot.Reply) Message {
	h := r.Help
	var b strings.Builder
	b.WriteString("*Try* `/advisory` with:")
	for _, e := range h.Examples {
		fmt.Fprintf(&b, "\n• %s", Escape(e))
	}
	blocks := []slack.Block{
		section(Escape(h.Summary)),
		section(b.String()),
		contextLine("You can also mention me in a channel or send me a direct message; I answer in a thread, and follow-ups there are about the same title."),
	}
	blocks = appendNotice(blocks, r.Notice)
	return Message{Text: userText(r.Text), Blocks: blocks}
}

func renderProblem(r bot.Reply) Message {
	p := r.Error
	return Message{Text: userText(r.Text), Blocks: []slack.Block{section(fmt.Sprintf(":warning: %s\n%s", userText(p.Message), userText(p.Next)))}}
}
