// Package console renders replies as terminal text and runs the interactive
// chat, so the bot can be tried with no tokens and no servers.
package console

import (
	"fmt"
	"io"
	"strings"

	"advisorybot/bot"
	"advisorybot/internal/replyview"
)

// Render writes a reply as readable plain text.
//
// The terminal has no Details button and `ask` is one question, so an
// advisory is shown in full, ordered so that its first lines are the short
// answer a chat platform shows: the verdict and the reasons that decide it
// (each deciding category with its note), then what else is in the title,
// the rating and the rest. A topic question gets that topic and the verdict
// only, as a follow-up in a conversation should.
func Render(w io.Writer, r bot.Reply) error {
	var b strings.Builder
	switch r.Status {
	case bot.StatusHelp:
		fmt.Fprintf(&b, "%s\n\nTry:\n", r.Help.Summary)
		for _, e := range r.Help.Examples {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	case bot.StatusError:
		fmt.Fprintf(&b, "%s\n%s\n", r.Error.Message, r.Error.Next)
	case bot.StatusAmbiguous:
		fmt.Fprintf(&b, "Several titles match %q. Which one do you mean?\n", r.Query.Title)
		for i, c := range r.Candidates {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, c.Label())
		}
		if len(r.Candidates) > 0 {
			fmt.Fprintf(&b, "Answer with the number, or add the year (e.g. %q).\n", replyview.Example(r.Candidates[0]))
		}
	case bot.StatusNotFound:
		fmt.Fprintf(&b, "%s\n", r.Text)
		if r.Verdict != nil {
			fmt.Fprintf(&b, "Verdict: %s\n", r.Verdict.Headline())
		}
	case bot.StatusFound:
		renderAdvisory(&b, r)
	case bot.StatusDuplicate:
		return nil
	}
	trailer(&b, r)
	_, err := io.WriteString(w, sanitize(b.String()))
	return err
}

// trailer adds the reply's notes and its data provider's notice.
func trailer(b *strings.Builder, r bot.Reply) {
	if len(r.Notes) > 0 && r.Status != bot.StatusFound { // an advisory places its notes itself
		b.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "Note: %s\n", n)
		}
	}
	if r.Notice != "" {
		if r.Status != bot.StatusFound {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "%s\n", r.Notice)
	}
}

func renderAdvisory(b *strings.Builder, r bot.Reply) {
	a, v := r.Advisory, r.Verdict
	s := replyview.Of(r)
	full := s.Focus == nil && r.Fact == "" // a topic or fact question gets the short answer
	if a.Source.Fixture {
		b.WriteString("[TEST FIXTURE — not a real advisory]\n")
	}
	fmt.Fprintf(b, "%s\n", r.Match.Label())
	if r.Fact != "" {
		fmt.Fprintf(b, "%s\n", r.Fact)
	}
	if full && a.Logline != "" {
		fmt.Fprintf(b, "%s\n", a.Logline)
	}
	if l := s.Focus; l != nil {
		// A topic question gets its answer first.
		fmt.Fprintf(b, "\n%s: %s\n", l.Label, l.Severity)
		if l.Note != "" {
			fmt.Fprintf(b, "  %s\n", l.Note)
		}
	}
	fmt.Fprintf(b, "\nVerdict: %s\n", v.Headline())
	for _, reason := range s.Reasons {
		fmt.Fprintf(b, "  - %s\n", reason.Text)
		if full && reason.Line != nil && reason.Line.Note != "" {
			fmt.Fprintf(b, "      %s\n", reason.Line.Note)
		}
	}
	if s.MinAge != "" {
		fmt.Fprintf(b, "  %s\n", s.MinAge)
	}
	if s.Rating != "" && (full || v.Evidence == bot.EvidenceRating) {
		fmt.Fprintf(b, "\nRating: %s\n", s.Rating)
		if s.RatingFor != "" {
			fmt.Fprintf(b, "  Rated for: %s\n", s.RatingFor)
		}
		if s.Release != "" {
			fmt.Fprintf(b, "  Rated release: %s\n", s.Release)
		}
	}
	if full && len(s.Others) > 0 {
		heading := "What's in it:"
		if len(s.Others) < len(a.Lines) {
			heading = "What else is in it:"
		}
		fmt.Fprintf(b, "\n%s\n", heading)
		for _, l := range s.Others {
			fmt.Fprintf(b, "  %-30s %s\n", l.Label+":", l.Severity)
			if l.Note != "" {
				fmt.Fprintf(b, "    %s\n", l.Note)
			}
		}
	}
	if full && (len(a.Themes) > 0 || a.CriticVerdict != "" || len(a.Directors) > 0 || len(a.Cast) > 0) {
		b.WriteString("\n")
		if len(a.Themes) > 0 {
			fmt.Fprintf(b, "Themes: %s\n", strings.Join(a.Themes, ", "))
		}
		if a.CriticVerdict != "" {
			fmt.Fprintf(b, "Critic: %s\n", a.CriticVerdict)
		}
		if len(a.Directors) > 0 {
			fmt.Fprintf(b, "Directed by: %s\n", strings.Join(a.Directors, ", "))
		}
		if len(a.Cast) > 0 {
			fmt.Fprintf(b, "Cast: %s\n", strings.Join(a.Cast, ", "))
		}
	}

	b.WriteString("\n")
	for _, n := range r.Notes {
		fmt.Fprintf(b, "Note: %s\n", n)
	}
	fmt.Fprintf(b, "Source: %s", s.Source)
	if s.SourceURL != "" {
		fmt.Fprintf(b, ", %s", s.SourceURL)
	}
	fmt.Fprintf(b, " (evidence: %s)\n", s.Evidence)
}

// sanitize replaces control characters other than newlines and tabs: titles
// and notes from outside (TMDB, what the user typed) must not move the
// cursor, clear the screen or retitle the terminal.
func sanitize(s string) string {
	clean := func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f }
	if strings.IndexFunc(s, clean) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if clean(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
