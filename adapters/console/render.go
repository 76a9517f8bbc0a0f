// Package console renders replies as terminal text and runs the interactive
// chat, so the bot can be tried with no tokens and no servers.
package console

import (
	"fmt"
	"io"
	"strings"

	"advisorybot/bot"
)

// Render writes a reply as readable plain text.
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
		fmt.Fprintf(&b, "Answer with the number, or add the year (e.g. %q).\n", fmt.Sprintf("%s %d", r.Candidates[0].Title, r.Candidates[0].Year))
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
	_, err := io.WriteString(w, b.String())
	return err
}

func renderAdvisory(b *strings.Builder, r bot.Reply) {
	a, v := r.Advisory, r.Verdict
	if a.Source.Fixture {
		b.WriteString("[TEST FIXTURE — not a real advisory]\n")
	}
	fmt.Fprintf(b, "%s\n", r.Match.Label())
	if a.Logline != "" {
		fmt.Fprintf(b, "%s\n", a.Logline)
	}
	if r.Focus != nil {
		// A topic question gets its answer first.
		l := a.Lines[0]
		fmt.Fprintf(b, "\n%s: %s\n", l.Label, l.Severity)
		if l.Note != "" {
			fmt.Fprintf(b, "  %s\n", l.Note)
		}
	}
	fmt.Fprintf(b, "\nVerdict: %s\n", v.Headline())
	for _, reason := range v.Reasons {
		fmt.Fprintf(b, "  - %s\n", reason)
	}
	switch {
	case v.MinAge != nil && v.MinAgeLowerBound:
		fmt.Fprintf(b, "  Suggested minimum age: at least %d (some facts are unknown)\n", *v.MinAge)
	case v.MinAge != nil:
		fmt.Fprintf(b, "  Suggested minimum age: %d\n", *v.MinAge)
	}
	fmt.Fprintf(b, "\nRating: %s (%s)", a.Rating.Value, a.Rating.System)
	if len(a.Rating.Reasons) > 0 {
		fmt.Fprintf(b, " for %s", strings.Join(a.Rating.Reasons, ", "))
	}
	b.WriteString("\n")
	b.WriteString("\nWhat's in it:\n")
	for _, l := range a.Lines {
		fmt.Fprintf(b, "  %-30s %s\n", l.Label+":", l.Severity)
		// After a topic answer the other notes would bury it: severities only.
		if l.Note != "" && r.Focus == nil {
			fmt.Fprintf(b, "    %s\n", l.Note)
		}
	}
	if len(a.Themes) > 0 {
		fmt.Fprintf(b, "\nThemes: %s\n", strings.Join(a.Themes, ", "))
	}
	if a.CriticVerdict != "" {
		fmt.Fprintf(b, "Critic: %s\n", a.CriticVerdict)
	}
	fmt.Fprintf(b, "\nSource: %s", a.Source.Name)
	fmt.Fprintf(b, " (evidence: %s)\n", strings.ReplaceAll(string(a.Source.Evidence), "_", " "))
}
