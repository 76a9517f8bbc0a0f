package discord

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
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

// renderDetails is the long notes of an advisory, shown to whoever pressed
// "Details": every category note, the rating note, themes and the critic.
func renderDetails(r bot.Reply) *discordgo.InteractionResponseData {
	if r.Status != bot.StatusFound {
		return renderData(r, view{ephemeral: true})
	}
	a := r.Advisory
	e := &discordgo.MessageEmbed{
		Title:  clip("Details: "+r.Match.Label(), maxEmbedTitle),
		Color:  colour(r.Verdict),
		Footer: footer(a.Source),
	}
	if a.Source.Fixture {
		e.Description = "**TEST FIXTURE — not a real advisory.**"
	}
	for _, l := range a.Lines {
		note := l.Note
		if note == "" {
			note = "The source has no note on this."
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name: clip(l.Label+": "+l.Severity, maxFieldName), Value: clip(note, maxFieldValue)})
	}
	if a.Rating.Note != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "About the rating", Value: clip(a.Rating.Note, maxFieldValue)})
	}
	if len(a.Themes) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Themes", Value: clip(strings.Join(a.Themes, ", "), maxFieldValue)})
	}
	if a.CriticVerdict != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Critic", Value: clip(a.CriticVerdict, maxFieldValue)})
	}
	return &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{e},
		Components:      []discordgo.MessageComponent{},
		AllowedMentions: noMentions(),
		Flags:           discordgo.MessageFlagsEphemeral,
	}
}

func embed(r bot.Reply) *discordgo.MessageEmbed {
	switch r.Status {
	case bot.StatusFound:
		return advisoryEmbed(r)
	case bot.StatusAmbiguous:
		e := &discordgo.MessageEmbed{Title: "Which one do you mean?", Color: colourChoose}
		var b strings.Builder
		fmt.Fprintf(&b, "Several titles match “%s”:\n", escape(r.Query.Title))
		for _, c := range r.Candidates {
			fmt.Fprintf(&b, "• %s\n", escape(c.Label()))
		}
		if len(r.Candidates) > 0 {
			fmt.Fprintf(&b, "\nPick one below, or add the year (e.g. “%s %d”).", escape(r.Candidates[0].Title), r.Candidates[0].Year)
		}
		e.Description = clip(strings.TrimSpace(b.String()), maxEmbedDesc)
		return e
	case bot.StatusNotFound:
		e := &discordgo.MessageEmbed{Title: "Not in the catalog", Color: colourUnknown, Description: clip(escape(r.Text), maxEmbedDesc)}
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

// advisoryEmbed mirrors the console advisory: verdict first (or the topic
// asked about), then the rating, a line per category and the source.
func advisoryEmbed(r bot.Reply) *discordgo.MessageEmbed {
	a, v := r.Advisory, r.Verdict
	e := &discordgo.MessageEmbed{
		Title:  clip(r.Match.Label(), maxEmbedTitle),
		Color:  colour(v),
		Footer: footer(a.Source),
	}
	if strings.HasPrefix(a.Source.Reference, "https://") {
		e.URL = a.Source.Reference
	}
	var b strings.Builder
	if a.Source.Fixture {
		b.WriteString("**TEST FIXTURE — not a real advisory.**\n")
	}
	if a.Logline != "" {
		fmt.Fprintf(&b, "*%s*\n", a.Logline)
	}
	if r.Focus != nil && len(a.Lines) > 0 {
		// A topic question gets its answer first.
		l := a.Lines[0]
		fmt.Fprintf(&b, "\n**%s: %s**\n", l.Label, l.Severity)
		if l.Note != "" {
			fmt.Fprintf(&b, "%s\n", l.Note)
		}
	}
	fmt.Fprintf(&b, "\n**%s**\n", v.Headline())
	for _, reason := range v.Reasons {
		fmt.Fprintf(&b, "• %s\n", reason)
	}
	switch {
	case v.MinAge != nil && v.MinAgeLowerBound:
		fmt.Fprintf(&b, "Suggested minimum age: at least %d (some facts are unknown)\n", *v.MinAge)
	case v.MinAge != nil:
		fmt.Fprintf(&b, "Suggested minimum age: %d\n", *v.MinAge)
	}
	e.Description = clip(strings.TrimSpace(b.String()), maxEmbedDesc)

	rating := fmt.Sprintf("%s (%s)", a.Rating.Value, a.Rating.System)
	if len(a.Rating.Reasons) > 0 {
		rating += " for " + strings.Join(a.Rating.Reasons, ", ")
	}
	if a.Rating.Meaning != "" && !v.Says(a.Rating.Meaning) {
		rating += "\n" + a.Rating.Meaning + "."
	}
	b.Reset()
	for _, l := range a.Lines {
		fmt.Fprintf(&b, "%s %s: **%s**\n", severityMark(l.Severity), l.Label, l.Severity)
	}
	e.Fields = []*discordgo.MessageEmbedField{
		{Name: "Rating", Value: clip(rating, maxFieldValue)},
		{Name: "What's in it", Value: clip(strings.TrimSpace(b.String()), maxFieldValue)},
	}
	if len(a.Themes) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Themes", Value: clip(strings.Join(a.Themes, ", "), maxFieldValue)})
	}
	return e
}

func footer(s bot.Attribution) *discordgo.MessageEmbedFooter {
	return &discordgo.MessageEmbedFooter{Text: clip(fmt.Sprintf("Source: %s · evidence: %s", s.Name, strings.ReplaceAll(string(s.Evidence), "_", " ")), maxFooter)}
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
		args := customID{ID: r.Match.ID, Age: r.Verdict.Age}
		if r.Focus != nil {
			args.Topic = *r.Focus
		}
		var row []discordgo.MessageComponent
		if hasDetails(r.Advisory) {
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

func hasDetails(a *bot.Advisory) bool {
	if a.Rating.Note != "" || a.CriticVerdict != "" {
		return true
	}
	for _, l := range a.Lines {
		if l.Note != "" {
			return true
		}
	}
	return false
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
