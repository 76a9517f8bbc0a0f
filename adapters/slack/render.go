package slack

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"advisorybot/bot"
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
	// Details shows every note, themes, critic and credits, as the console does.
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
// plain text never pings, but user text is escaped everywhere all the same.
// The emoji flag only matters for text with ":shortcodes:", so it is sent
// only then: most answers have four plain_text objects.
func plain(s string, limit int) *slack.TextBlockObject {
	t := &slack.TextBlockObject{Type: slack.PlainTextType, Text: truncate(Escape(s), limit)}
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

func renderAdvisory(r bot.Reply, v View) Message {
	a, vd := r.Advisory, r.Verdict
	blocks := make([]slack.Block, 0, 12)
	blocks = append(blocks, slack.NewHeaderBlock(plain(r.Match.Label(), maxHeaderText)))
	if a.Source.Fixture {
		blocks = append(blocks, contextLine(":test_tube: *TEST FIXTURE — not a real advisory*"))
	}
	if v.Details && a.Logline != "" {
		blocks = append(blocks, section("_"+Escape(a.Logline)+"_"))
	}
	if r.Focus != nil && len(a.Lines) > 0 {
		// A topic question gets its answer first.
		l := a.Lines[0]
		text := fmt.Sprintf("*%s: %s*", Escape(l.Label), Escape(l.Severity))
		if l.Note != "" {
			text += "\n" + Escape(l.Note)
		}
		blocks = append(blocks, section(text))
	}

	// The verdict, the rating and (in the compact view) what is in it make
	// one section: Slack spaces paragraphs as it spaces blocks, and each
	// block costs its own JSON.
	var b strings.Builder
	fmt.Fprintf(&b, "%s *%s*", levelEmoji(vd.Level), Escape(vd.Headline()))
	for _, reason := range vd.Reasons {
		fmt.Fprintf(&b, "\n• %s", Escape(reason))
	}
	switch {
	case vd.MinAge != nil && vd.MinAgeLowerBound:
		fmt.Fprintf(&b, "\nSuggested minimum age: at least %d (some facts are unknown)", *vd.MinAge)
	case vd.MinAge != nil:
		fmt.Fprintf(&b, "\nSuggested minimum age: %d", *vd.MinAge)
	}
	fmt.Fprintf(&b, "\n\n*Rating:* %s (%s)", Escape(a.Rating.Value), Escape(a.Rating.System))
	if len(a.Rating.Reasons) > 0 {
		fmt.Fprintf(&b, " for %s", Escape(strings.Join(a.Rating.Reasons, ", ")))
	}
	if a.Rating.Meaning != "" && !vd.Says(a.Rating.Meaning) {
		fmt.Fprintf(&b, "\n_%s_", Escape(a.Rating.Meaning))
	}
	if v.Details {
		blocks = append(blocks, section(b.String()))
		// One section per category: notes can be long.
		blocks = append(blocks, section("*What's in it*"))
		for _, l := range a.Lines {
			text := fmt.Sprintf("*%s:* %s", Escape(l.Label), Escape(l.Severity))
			if l.Note != "" {
				text += "\n" + Escape(l.Note)
			}
			blocks = append(blocks, section(text))
		}
	} else {
		b.WriteString("\n\n*What's in it*")
		for _, l := range a.Lines {
			fmt.Fprintf(&b, "\n• %s: *%s*", Escape(l.Label), Escape(l.Severity))
		}
		blocks = append(blocks, section(b.String()))
	}

	if v.Details {
		b.Reset()
		if len(a.Themes) > 0 {
			fmt.Fprintf(&b, "*Themes:* %s\n", Escape(strings.Join(a.Themes, ", ")))
		}
		if a.CriticVerdict != "" {
			fmt.Fprintf(&b, "*Critic:* %s\n", Escape(a.CriticVerdict))
		}
		if len(a.Directors) > 0 {
			fmt.Fprintf(&b, "*Directed by* %s\n", Escape(strings.Join(a.Directors, ", ")))
		}
		if len(a.Cast) > 0 {
			fmt.Fprintf(&b, "*Cast:* %s\n", Escape(strings.Join(a.Cast, ", ")))
		}
		if b.Len() > 0 {
			blocks = append(blocks, section(strings.TrimSuffix(b.String(), "\n")))
		}
	}

	src := fmt.Sprintf("Source: %s (evidence: %s)", Escape(a.Source.Name), strings.ReplaceAll(string(a.Source.Evidence), "_", " "))
	if v.Details && a.Source.Reference != "" {
		src += " · " + Escape(a.Source.Reference)
	}
	blocks = append(blocks, contextLine(src))

	var buttons []slack.BlockElement
	value := choiceOf(r).encode()
	if !v.Details {
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
	fmt.Fprintf(&b, " (Source: %s.)", r.Advisory.Source.Name)
	if r.Advisory.Source.Fixture {
		b.WriteString(" TEST FIXTURE — not a real advisory.")
	}
	return Escape(b.String())
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
		first := r.Candidates[0]
		blocks = append(blocks, contextLine(fmt.Sprintf("Or ask again with the year, e.g. “%s %d”.", Escape(first.Title), first.Year)))
	}
	return Message{Text: userText(r.Text), Blocks: blocks}
}

func renderNotFound(r bot.Reply) Message {
	title := r.Query.Title
	text := fmt.Sprintf("I don't have a review of *%s* yet, so I can't say whether it is family-safe.", userText(title))
	if r.Query.Year != nil {
		text = fmt.Sprintf("I don't have a review of *%s* from %d yet, so I can't say whether it is family-safe.", userText(title), *r.Query.Year)
	}
	if r.Verdict != nil {
		text += fmt.Sprintf("\n%s *%s*", levelEmoji(r.Verdict.Level), Escape(r.Verdict.Headline()))
	}
	blocks := []slack.Block{section(text)}
	if len(r.Candidates) > 0 {
		blocks = append(blocks, section("Did you mean:"), pickButtons(r))
	} else {
		blocks = append(blocks, contextLine("Check the spelling, or ask about another title."))
	}
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
	return Message{Text: userText(r.Text), Blocks: blocks}
}

func renderProblem(r bot.Reply) Message {
	p := r.Error
	return Message{Text: userText(r.Text), Blocks: []slack.Block{section(fmt.Sprintf(":warning: %s\n%s", userText(p.Message), userText(p.Next)))}}
}
