package discord

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
	"advisorybot/internal/replyview"
)

// Embed colours, one per verdict level, and for replies without a verdict.
const (
	colourSafe    = 0x2ECC71 // green
	colourCaution = 0xF1C40F // amber
	colourNotSafe = 0xE74C3C // red
	colourUnknown = 0x95A5A6 // grey
	colourChoose  = 0x5865F2 // Discord blurple: a question back to the user
	colourProblem = 0xE67E22 // orange
)

// Discord's documented limits for embeds and components.
const (
	maxEmbedTitle   = 256
	maxEmbedDesc    = 4096
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxFooter       = 2048
	maxButtonLabel  = 80
	maxOptionLabel  = 100
	maxButtonsInRow = 5
	maxSelectOpts   = 25
	maxEmbedTotal   = 6000 // title, description, field names and values, footer together
)

// noMentions is the allowed_mentions object sent on every message: an empty
// parse list, so text from users (echoed titles, "@everyone") never pings.
// discordgo marshals a nil Parse as null, so the slice must be non-nil.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// view says where a rendered reply is shown.
type view struct {
	// ephemeral replies are seen by the asker only; they offer "Share in channel".
	ephemeral bool
}

// renderData turns a reply into message data: embeds, components, flags.
// It returns nil for a duplicate (nothing to send).
func renderData(r bot.Reply, v view) *discordgo.InteractionResponseData {
	if r.Status == bot.StatusDuplicate {
		return nil
	}
	d := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{embed(r)},
		Components:      components(r, v),
		AllowedMentions: noMentions(),
	}
	if v.ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// renderMessage turns a reply into a channel message answering ref.
func renderMessage(r bot.Reply, ref *discordgo.MessageReference) *discordgo.MessageSend {
	d := renderData(r, view{})
	if d == nil {
		return nil
	}
	return &discordgo.MessageSend{
		Embeds:          d.Embeds,
		Components:      d.Components,
		AllowedMentions: d.AllowedMentions,
		Reference:       ref,
	}
}

// renderDetails is the rest of a curated advisory, shown to whoever pressed
// "Details": the logline, the rating and its reasons, every category with
// its note, themes, the critic and the credits. Every category is listed
// once here: this is its own message.
func renderDetails(r bot.Reply) *discordgo.InteractionResponseData {
	if r.Status != bot.StatusFound || r.Advisory == nil || r.Verdict == nil || r.Match == nil {
		return renderData(r, view{ephemeral: true})
	}
	s := replyview.Of(r)
	if !s.Details { // a certification: the answer already holds all there is
		d := renderData(r, view{})
		d.Components = []discordgo.MessageComponent{}
		d.Flags = discordgo.MessageFlagsEphemeral
		return d
	}
	a := r.Advisory
	e := &discordgo.MessageEmbed{
		Title:  clip(titleText("Details: "+r.Match.Label()), maxEmbedTitle),
		URL:    s.SourceURL,
		Color:  colour(r.Verdict),
		Footer: footer(r, s),
	}
	var b strings.Builder
	if a.Source.Fixture {
		b.WriteString("**TEST FIXTURE — not a real advisory.**\n")
	}
	if a.Logline != "" {
		fmt.Fprintf(&b, "*%s*", escape(a.Logline))
	}
	e.Description = clip(strings.TrimSpace(b.String()), maxEmbedDesc)
	if a.Rating.Value != "" {
		e.Fields = append(e.Fields, ratingField(a.Rating.RatingLine(), s))
	}
	for _, l := range a.Lines {
		note := l.Note
		if note == "" {
			note = "The source has no note on this."
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name: clip(severityMark(l.Severity)+" "+l.Label+": "+l.Severity, maxFieldName), Value: clip(escape(note), maxFieldValue)})
	}
	for _, f := range []struct {
		name  string
		items []string
	}{{"Themes", a.Themes}, {"Critic", nonEmpty(a.CriticVerdict)}, {"Directed by", a.Directors}, {"Cast", a.Cast}} {
		if len(f.items) > 0 {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: f.name, Value: clip(escape(strings.Join(f.items, ", ")), maxFieldValue)})
		}
	}
	fitEmbed(e)
	return &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{e},
		Components:      []discordgo.MessageComponent{},
		AllowedMentions: noMentions(),
		Flags:           discordgo.MessageFlagsEphemeral,
	}
}

// fitEmbed keeps an embed within Discord's total of 6000 characters by
// shortening its longest field values: long notes lose their ends, never a
// whole category.
func fitEmbed(e *discordgo.MessageEmbed) {
	n := func(s string) int { return utf8.RuneCountInString(s) }
	total := n(e.Title) + n(e.Description)
	if e.Footer != nil {
		total += n(e.Footer.Text)
	}
	for _, f := range e.Fields {
		total += n(f.Name) + n(f.Value)
	}
	for total > maxEmbedTotal {
		longest := e.Fields[0]
		for _, f := range e.Fields {
			if n(f.Value) > n(longest.Value) {
				longest = f
			}
		}
		l := n(longest.Value)
		cut := min(total-maxEmbedTotal, l-1)
		if cut <= 0 {
			return
		}
		longest.Value = clip(longest.Value, l-cut)
		total -= cut
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func embed(r bot.Reply) *discordgo.MessageEmbed {
	e := statusEmbed(r)
	if e.Footer == nil && r.Notice != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: clip(r.Notice, maxFooter)}
	}
	if r.Status != bot.StatusFound && len(r.Notes) > 0 {
		e.Fields = append(e.Fields, notesField(r.Notes))
	}
	return e
}

func statusEmbed(r bot.Reply) *discordgo.MessageEmbed {
	switch r.Status {
	case bot.StatusFound:
		if r.Advisory != nil && r.Verdict != nil && r.Match != nil {
			return advisoryEmbed(r)
		}
	case bot.StatusAmbiguous:
		e := &discordgo.MessageEmbed{Title: "Which one do you mean?", Color: colourChoose}
		var b strings.Builder
		fmt.Fprintf(&b, "Several titles match “%s”:\n", escape(r.Query.Title))
		for _, c := range r.Candidates {
			fmt.Fprintf(&b, "• %s\n", escape(c.Label()))
		}
		if len(r.Candidates) > 0 {
			fmt.Fprintf(&b, "\nPick one below, or add the year (e.g. “%s”).", escape(replyview.Example(r.Candidates[0])))
		}
		e.Description = clip(strings.TrimSpace(b.String()), maxEmbedDesc)
		return e
	case bot.StatusNotFound:
		e := &discordgo.MessageEmbed{Title: "Not found", Color: colourUnknown, Description: clip(escape(r.Text), maxEmbedDesc)}
		if r.Verdict != nil {
			e.Color = colour(r.Verdict)
			e.Fields = []*discordgo.MessageEmbedField{{Name: "Verdict", Value: clip(r.Verdict.Headline(), maxFieldValue)}}
		}
		return e
	case bot.StatusHelp:
		e := &discordgo.MessageEmbed{Title: "advisorybot: is it family-safe?", Color: colourChoose}
		if r.Help != nil {
			e.Description = clip(r.Help.Summary, maxEmbedDesc)
			var b strings.Builder
			for _, ex := range r.Help.Examples {
				fmt.Fprintf(&b, "• @advisory %s\n", ex)
			}
			e.Fields = append(e.Fields,
				&discordgo.MessageEmbedField{Name: "Ask me", Value: clip(strings.TrimSpace(b.String()), maxFieldValue)},
				&discordgo.MessageEmbedField{Name: "Slash command", Value: "`/advisory title: Ballerina year: 2023 age: 12`"})
		}
		return e
	case bot.StatusError:
		e := &discordgo.MessageEmbed{Title: "Sorry", Color: colourProblem, Description: clip(escape(r.Text), maxEmbedDesc)}
		if r.Error != nil {
			e.Title = clip(escape(r.Error.Message), maxEmbedTitle)
			e.Description = clip(escape(r.Error.Next), maxEmbedDesc)
		}
		return e
	}
	return &discordgo.MessageEmbed{Description: clip(escape(r.Text), maxEmbedDesc), Color: colourUnknown}
}

// advisoryEmbed is the short answer: the verdict and the reasons that
// decide it (after the topic asked about, if any), the rating for a
// certification, the notes and the source. The rest of a curated review is
// behind Details (renderDetails), so no category is listed twice.
func advisoryEmbed(r bot.Reply) *discordgo.MessageEmbed {
	a, v := r.Advisory, r.Verdict
	s := replyview.Of(r)
	e := &discordgo.MessageEmbed{
		Title:  clip(titleText(r.Match.Label()), maxEmbedTitle),
		URL:    s.SourceURL,
		Color:  colour(v),
		Footer: footer(r, s),
	}
	var b strings.Builder
	if a.Source.Fixture {
		b.WriteString("**TEST FIXTURE — not a real advisory.**\n\n")
	}
	if r.Fact != "" {
		fmt.Fprintf(&b, "%s\n\n", escape(r.Fact))
	}
	if l := s.Focus; l != nil {
		// A topic question gets its answer first.
		fmt.Fprintf(&b, "**%s: %s**\n", escape(l.Label), escape(l.Severity))
		if l.Note != "" {
			fmt.Fprintf(&b, "%s\n", escape(l.Note))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "**%s**\n", v.Headline())
	for _, reason := range s.Reasons {
		fmt.Fprintf(&b, "• %s\n", escape(reason.Text))
	}
	if s.MinAge != "" {
		fmt.Fprintf(&b, "%s\n", s.MinAge)
	}
	e.Description = clip(strings.TrimSpace(b.String()), maxEmbedDesc)
	if s.Rating != "" && v.Evidence == bot.EvidenceRating {
		e.Fields = append(e.Fields, ratingField(s.Rating, s))
	}
	if len(r.Notes) > 0 {
		e.Fields = append(e.Fields, notesField(r.Notes))
	}
	return e
}

// ratingField is the rating as people read it, with its reasons and the
// release it was given to.
func ratingField(line string, s replyview.Answer) *discordgo.MessageEmbedField {
	v := escape(line)
	if s.RatingFor != "" {
		v += "\nRated for: " + escape(s.RatingFor)
	}
	if s.Release != "" {
		v += "\nRated release: " + escape(s.Release)
	}
	return &discordgo.MessageEmbedField{Name: "Rating", Value: clip(v, maxFieldValue)}
}

func notesField(notes []string) *discordgo.MessageEmbedField {
	name := "Note"
	if len(notes) > 1 {
		name = "Notes"
	}
	return &discordgo.MessageEmbedField{Name: name, Value: clip(escape(strings.Join(notes, "\n")), maxFieldValue)}
}

// footer names the source and its depth, then the data provider's notice.
// Footers are plain text: no markdown, no links.
func footer(r bot.Reply, s replyview.Answer) *discordgo.MessageEmbedFooter {
	t := fmt.Sprintf("Source: %s · evidence: %s", s.Source, s.Evidence)
	if r.Notice != "" {
		t += "\n" + r.Notice
	}
	return &discordgo.MessageEmbedFooter{Text: clip(t, maxFooter)}
}

func severityMark(s string) string {
	switch s {
	case "none":
		return "⚪"
	case "mild":
		return "🟢"
	case "moderate":
		return "🟡"
	case "severe":
		return "🔴"
	}
	return "❔"
}

func colour(v *bot.Verdict) int {
	if v == nil {
		return colourUnknown
	}
	switch v.Level {
	case bot.Safe:
		return colourSafe
	case bot.Caution:
		return colourCaution
	case bot.NotSafe:
		return colourNotSafe
	}
	return colourUnknown
}

// components are the buttons under a reply: a choice per candidate, or
// Details and Share for an advisory.
func components(r bot.Reply, v view) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	switch r.Status {
	case bot.StatusAmbiguous, bot.StatusNotFound:
		if len(r.Candidates) > 0 {
			out = append(out, choices(r.Candidates, pickArgs(r))...)
		}
	case bot.StatusFound:
		if r.Match == nil || r.Verdict == nil || r.Advisory == nil {
			break
		}
		args := customID{ID: r.Match.ID, Age: r.Verdict.Age}
		if r.Focus != nil {
			args.Topic = *r.Focus
		}
		var row []discordgo.MessageComponent
		if replyview.Of(r).Details {
			args.Action = actionDetails
			row = append(row, discordgo.Button{Label: "Details", Style: discordgo.SecondaryButton, CustomID: args.String()})
		}
		if v.ephemeral {
			args.Action = actionShare
			row = append(row, discordgo.Button{Label: "Share in channel", Style: discordgo.PrimaryButton, CustomID: args.String()})
		}
		if len(row) > 0 {
			out = append(out, discordgo.ActionsRow{Components: row})
		}
	}
	return out
}

// pickArgs carries the question's age and topic into a choice, so the
// answer to "can my 8 year old watch Ballerina?" keeps the 8 after a pick.
func pickArgs(r bot.Reply) customID {
	c := customID{Action: actionPick}
	if r.Query.Age != nil {
		c.Age = *r.Query.Age
	}
	if r.Query.Topic != nil {
		c.Topic = *r.Query.Topic
	}
	return c
}

// choices are one button per title when they fit (five at most, ids short
// enough), else a select menu of up to 25 titles.
func choices(refs []bot.TitleRef, args customID) []discordgo.MessageComponent {
	buttons := len(refs) <= maxButtonsInRow
	ids := make([]string, len(refs))
	for i, t := range refs {
		a := args
		a.ID = t.ID
		ids[i] = a.String()
		if len(ids[i]) > maxCustomID {
			buttons = false
		}
	}
	if buttons {
		row := make([]discordgo.MessageComponent, len(refs))
		for i, t := range refs {
			row[i] = discordgo.Button{Label: clip(t.Label(), maxButtonLabel), Style: discordgo.SecondaryButton, CustomID: ids[i]}
		}
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
	}
	menu := discordgo.SelectMenu{CustomID: args.String(), Placeholder: "Choose a title"}
	for _, t := range refs {
		if len(menu.Options) == maxSelectOpts {
			break
		}
		if len(t.ID) > maxCustomID {
			continue // cannot be carried as a value
		}
		menu.Options = append(menu.Options, discordgo.SelectMenuOption{Label: clip(t.Label(), maxOptionLabel), Value: t.ID})
	}
	if len(menu.Options) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}}}
}

// clip shortens s to at most n runes, ending with an ellipsis when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// markdownChars are escaped with a backslash in text that came from a
// user: emphasis, spoilers, code, quotes, and the brackets and parentheses
// of masked links ("[Free Nitro](https://…)").
const markdownChars = "\\*_`~|>[]()"

// zwsp is a zero-width space.
const zwsp = "\u200b"

// escape makes text that came from a user show as typed: markdown is
// escaped, so no masked link forms, and every ":/" gets a zero-width space
// after the colon, so no bare URL ("https://…") and no "<scheme:/…>" link
// forms either. A zero-width space rather than a backslash for URLs: link
// detection is not the markdown parser and differs between Discord's
// clients, but every form needs the scheme's colon and slash side by side,
// and the text still reads the same. Mentions in it never ping: every
// message carries an empty allowed_mentions (noMentions).
func escape(s string) string {
	if !strings.ContainsAny(s, markdownChars) && !strings.Contains(s, ":/") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		if strings.ContainsRune(markdownChars, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == ':' && strings.HasPrefix(s[i+1:], "/") {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// titleText makes outside text safe for an embed title without escaping
// markdown, which a linked title may show literally: it breaks every ":/"
// (as escape does, so no URL forms) and every "](" (so no masked link)
// with a zero-width space.
func titleText(s string) string {
	if !strings.Contains(s, ":/") && !strings.Contains(s, "](") {
		return s
	}
	s = strings.ReplaceAll(s, ":/", ":"+zwsp+"/")
	return strings.ReplaceAll(s, "](", "]"+zwsp+"(")
}
