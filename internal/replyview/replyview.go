// Package replyview decides what a rendered answer shows, so that the
// console, Discord and Slack agree on it: which of the verdict's reasons are
// shown, which categories are left for Details, how the rating and the
// source are worded, and what is never shown (curators' notes, file paths).
// Each adapter only lays the result out in its own format.
package replyview

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"advisorybot/bot"
)

// CertificationOnly is said on every answer that rests on an official
// rating alone.
const CertificationOnly = "Only the official rating is known: no one has reviewed what is in it."

// onlyRating starts the verdict's own reason for a rating-only answer, which
// CertificationOnly says more plainly.
const onlyRating = "Only the rating is known"

// Reason is one of the verdict's reasons; Line is the category it names,
// when it names one, so a full view can show that category's note with it
// instead of listing the category a second time.
type Reason struct {
	Text string
	Line *bot.CategoryLine
}

// Answer is what a found reply shows.
type Answer struct {
	// Focus is the category asked about, shown first; nil without a topic.
	Focus *bot.CategoryLine
	// Reasons are the verdict's reasons, without the focus category's
	// (already shown). A rating-only answer ends them with CertificationOnly
	// (in place of the verdict's terser "Only the rating is known"), unless
	// the topic line already says so.
	Reasons []Reason
	// Others are the categories named neither by Focus nor by a reason:
	// what a full view adds below the verdict.
	Others []bot.CategoryLine
	// MinAge is the suggested minimum age, worded; "" when none is known.
	MinAge string
	// Rating is the rating as people read it (bot.RatingInfo.RatingLine),
	// without its meaning when a reason already spells it out; "" when
	// there is no rating.
	Rating string
	// RatingFor is the rating's official reasons (TMDB's descriptors for
	// certifications), joined: "violence, language".
	RatingFor string
	// Release says which release was rated, for certifications.
	Release string
	// Source names the source; Evidence words how deep its facts go;
	// SourceURL is its reference when that is a web address, else "".
	Source, Evidence, SourceURL string
	// Details reports whether a full view shows more than the short one,
	// i.e. whether a Details button is worth offering.
	Details bool
}

// Of works out what a found reply shows. r must have a Verdict and an
// Advisory.
func Of(r bot.Reply) Answer {
	a, v := r.Advisory, r.Verdict
	var out Answer
	lines := a.Lines
	if r.Focus != nil && len(lines) > 0 && lines[0].Category == *r.Focus {
		out.Focus = &lines[0]
		lines = lines[1:]
	}
	named := map[bot.Topic]bool{}
	for _, text := range v.Reasons {
		if v.Evidence == bot.EvidenceRating && strings.HasPrefix(text, onlyRating) {
			continue
		}
		if out.Focus != nil && names(text, *out.Focus) {
			continue
		}
		reason := Reason{Text: text}
		for i := range lines {
			if names(text, lines[i]) {
				reason.Line = &lines[i]
				named[lines[i].Category] = true
				break
			}
		}
		out.Reasons = append(out.Reasons, reason)
	}
	if v.Evidence == bot.EvidenceRating && (out.Focus == nil || out.Focus.Note == "") {
		out.Reasons = append(out.Reasons, Reason{Text: CertificationOnly})
	}
	out.MinAge = minAge(v)
	for _, l := range lines {
		if !named[l.Category] {
			out.Others = append(out.Others, l)
		}
	}

	ri := a.Rating
	if ri.Meaning != "" && v.Says(ri.Meaning) {
		ri.Meaning = ""
	}
	if ri.Value != "" {
		out.Rating = ri.RatingLine()
	}
	out.RatingFor = strings.Join(a.Rating.Reasons, ", ")
	out.Release = a.Rating.Release

	out.Source, out.Evidence = a.Source.Name, Evidence(a.Source.Evidence)
	out.SourceURL = WebURL(a.Source.Reference)

	if v.Evidence == bot.EvidenceCurated {
		out.Details = len(out.Others) > 0 || a.CriticVerdict != "" || len(a.Themes) > 0 || out.RatingFor != "" ||
			len(a.Directors) > 0 || len(a.Cast) > 0
		for _, l := range a.Lines {
			if l.Note != "" {
				out.Details = true
			}
		}
	}
	return out
}

// minAge words the verdict's suggested minimum age.
func minAge(v *bot.Verdict) string {
	switch {
	case v.MinAge == nil:
		return ""
	case v.MinAgeLowerBound && v.Evidence == bot.EvidenceRating:
		return fmt.Sprintf("Suggested minimum age: at least %d (from the rating alone)", *v.MinAge)
	case v.MinAgeLowerBound:
		return fmt.Sprintf("Suggested minimum age: at least %d (some facts are unknown)", *v.MinAge)
	}
	return fmt.Sprintf("Suggested minimum age: %d", *v.MinAge)
}

// names reports whether a verdict reason is about line's category: the
// verdict words those "Violence: severe." or "Violence: unknown — …".
func names(reason string, line bot.CategoryLine) bool {
	return line.Label != "" && strings.HasPrefix(reason, line.Label+": ")
}

// Evidence words an evidence level: "curated review", "certification".
func Evidence(e bot.Evidence) string {
	switch e {
	case bot.EvidenceCurated:
		return "curated review"
	case bot.EvidenceRating:
		return "official rating only"
	case bot.EvidenceNone, "":
		return "none"
	}
	return strings.ReplaceAll(string(e), "_", " ")
}

// WebURL returns ref when it is an http(s) address that is safe to put in
// a link, and "" otherwise: a source's reference may be a path inside the
// repository ("shared/seeds/…"), which means nothing to users.
func WebURL(ref string) string {
	if ref == "" || strings.ContainsAny(ref, " \t\r\n<>|\"`") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ""
	}
	return ref
}

// Example is how a title is asked for with its year ("Ballerina 2016"),
// for "add the year" hints; without a known year, the title alone.
func Example(t bot.TitleRef) string {
	if t.Year > 0 {
		return t.Title + " " + strconv.Itoa(t.Year)
	}
	return t.Title
}
