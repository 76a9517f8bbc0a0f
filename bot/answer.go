package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/bot/search"
)

// TMDBNotice is the attribution TMDB's terms ask for wherever its data is shown.
const TMDBNotice = "Ratings from TMDB. This product uses the TMDB API but is not endorsed or certified by TMDB."

// Observer is told of every answer, for metrics. It must be quick and safe
// for concurrent use.
type Observer interface {
	Answered(ctx context.Context, req Request, reply Reply, took time.Duration)
}

func refs(cat *catalog.Catalog, entries []search.Entry) []TitleRef {
	out := make([]TitleRef, 0, len(entries))
	for _, e := range entries {
		if r, ok := cat.Review(e.ID); ok {
			out = append(out, curatedRef(r))
		}
	}
	return out
}

func labels(ts []TitleRef) string {
	l := make([]string, len(ts))
	for i, t := range ts {
		l[i] = t.Label()
	}
	return strings.Join(l, "; ")
}

// ambiguousReply offers the titles called title; stale is the age of the
// oldest part of the list served from the cache (0 when fresh).
func ambiguousReply(q Query, title string, c []TitleRef, stale time.Duration) Reply {
	example := c[0].Title
	if c[0].Year > 0 {
		example += " " + strconv.Itoa(c[0].Year)
	}
	r := Reply{Query: q, Status: StatusAmbiguous, Candidates: c,
		Text: fmt.Sprintf("Several titles are called %q: %s. Which one? Pick one, or add the year, e.g. %q.", title, labels(c), example)}
	if n := staleNote("these titles and ratings are", stale); n != "" {
		r.Notes = append(r.Notes, n)
	}
	return r
}

// notFoundReply says that nothing is known of title; upstream says whether
// the ratings database was asked too.
func notFoundReply(q Query, title string, year int, suggestions []TitleRef, age int, upstream bool) Reply {
	v := Decide(Facts{}, age)
	what, none := "a review", "review"
	if upstream {
		what, none = "a review or an official rating", "review or official rating"
	}
	name := fmt.Sprintf("%q", title)
	if year > 0 {
		name = fmt.Sprintf("%q from %d", title, year)
	}
	v.Reasons = []string{fmt.Sprintf("I found no %s for %s: I can't say whether it is safe.", none, name)}
	text := fmt.Sprintf("I couldn't find %s of %s, so I can't say whether it is family-safe.", what, name)
	if len(suggestions) > 0 {
		text += " Did you mean: " + labels(suggestions) + "?"
	} else {
		text += " Check the spelling, or ask about another title."
	}
	if suggestions == nil {
		suggestions = []TitleRef{}
	}
	return Reply{Query: q, Status: StatusNotFound, Candidates: suggestions, Verdict: &v, Text: text}
}

// aloneNote says which of possibly several same-name titles a curated
// answer is about, when the question gave no year and no ratings database
// could say whether others exist.
func aloneNote(r *catalog.Review) string {
	which := fmt.Sprintf("%s (%d)", r.Title, r.Year)
	kind := "film"
	if mediaOf(r.Kind) == MediaShow {
		kind = "show"
	}
	if p := r.Release.Platform; p != "" {
		which += fmt.Sprintf(", the %s %s", p, kind)
	} else if len(r.Credits.Directors) > 0 {
		which += fmt.Sprintf(", the %s directed by %s", kind, r.Credits.Directors[0])
	}
	return which + ": other films or shows may share this name; add a year if you mean another."
}

// releaseTypes names TMDB's release types.
var releaseTypes = map[int]string{1: "premiere", 2: "limited theatrical release", 3: "theatrical release", 4: "digital release", 5: "physical release", 6: "TV release"}

// certificationReply answers from an official certification alone: the
// verdict is never "safe", and the reply says no detailed review exists.
func certificationReply(q Query, d UpstreamDetails, age int, country string, stale time.Duration) Reply {
	m := TitleRef{ID: upstreamID(d.Ref), Title: d.Title, Year: d.Year, Kind: d.Ref.Kind, Source: SourceTMDB, TMDBID: d.Ref.ID}
	a := &Advisory{
		Title: d.Title, Year: d.Year, Kind: string(d.Ref.Kind), RuntimeMinutes: d.RuntimeMinutes,
		Source: Attribution{Name: "TMDB", Reference: tmdbURL(d.Ref), Evidence: EvidenceRating, Age: stale},
	}
	var f Facts
	c, err := certify(d, country)
	if err == nil {
		f.Rating = &c.Rating
		m.Rating, m.Country = c.Rating.Value, c.Country
		a.Rating = RatingInfo{System: string(c.Rating.System), Value: c.Rating.Value, Meaning: c.Rating.Meaning,
			Reasons: c.Descriptors, Country: c.Country}
		if c.Fallback {
			a.Rating.Fallback = strings.ToUpper(country)
		}
		if t := releaseTypes[c.ReleaseType]; t != "" {
			a.Rating.Release = t
			if c.Note != "" {
				a.Rating.Release += " (" + c.Note + ")"
			}
		}
	}
	v := Decide(f, age)
	if err != nil {
		a.Source.Evidence = EvidenceNone
		where := strings.ToUpper(country)
		if where != rating.FallbackCountry {
			where += " or " + rating.FallbackCountry
		}
		v.Reasons = []string{fmt.Sprintf("No official rating for %s in %s: I can't say whether it is safe.", titleYear(m), where)}
		if len(c.Unusable) > 0 {
			v.Reasons[0] = fmt.Sprintf("No rating I can read for %s (%s lists %s): I can't say whether it is safe.", titleYear(m), strings.ToUpper(country), strings.Join(c.Unusable, ", "))
		}
	}
	if q.Topic != nil {
		a.Lines = []CategoryLine{{Category: *q.Topic, Label: q.Topic.Label(), Severity: string(catalog.SeverityUnknown),
			Note: "No detailed review: only the official rating is known."}}
	}
	r := Reply{Query: q, Status: StatusFound, Match: &m, Candidates: []TitleRef{}, Verdict: &v, Advisory: a, Focus: q.Topic}
	if a.Rating.Fallback != "" {
		r.Notes = append(r.Notes, fmt.Sprintf("No %s rating is known, so this is the %s one: %s.", a.Rating.Fallback, a.Rating.Country, a.Rating.Value))
	}
	if n := staleNote("this rating is", stale); n != "" {
		r.Notes = append(r.Notes, n)
	}
	r.Text = summary(r)
	return r
}

// titleYear is "Frozen (2013)", for sentences.
func titleYear(t TitleRef) string {
	if t.Year > 0 {
		return fmt.Sprintf("%s (%d)", t.Title, t.Year)
	}
	return t.Title
}

func tmdbURL(ref UpstreamRef) string {
	kind := "movie"
	if ref.Kind == MediaShow {
		kind = "tv"
	}
	return "https://www.themoviedb.org/" + kind + "/" + strconv.Itoa(ref.ID)
}

// RatingLine is the rating as replies show it: "PG-13 (MPA, US): meaning",
// with "no GB rating; US: PG-13" when another country's stands in.
func (ri RatingInfo) RatingLine() string {
	if ri.Value == "" {
		return "not rated"
	}
	name := rating.System(ri.System).Name()
	s := ri.Value + " (" + name + ")"
	switch {
	case ri.Fallback != "":
		s = fmt.Sprintf("no %s rating; %s: %s", ri.Fallback, ri.Country, s)
	case ri.Country != "" && !strings.Contains(name, ri.Country):
		s = ri.Value + " (" + name + ", " + ri.Country + ")"
	}
	if ri.Meaning != "" {
		s += ": " + ri.Meaning
	}
	return s
}
func advisoryReply(q Query, r *catalog.Review, age int) Reply {
	v := Decide(FactsOf(r), age)
	m := curatedRef(r)
	a := &Advisory{
		Title: r.Title, Year: r.Year, Kind: r.Kind,
		Release: r.Release.Date, Platform: r.Release.Platform, RuntimeMinutes: r.RuntimeMinutes,
		Rating:            RatingInfo{System: r.Rating.System, Value: r.Rating.Value, Reasons: r.Rating.Reasons, Note: r.Rating.Note},
		Logline:           r.Logline,
		CriticVerdict:     r.CriticVerdict,
		Themes:            r.Themes,
		RecommendedMinAge: r.RecommendedMinAge,
		Directors:         r.Credits.Directors,
		Source:            Attribution{Name: r.Source.Name, Reference: r.Source.Reference, Evidence: v.Evidence, Fixture: r.Fixture},
	}
	if rt, err := rating.Lookup(rating.System(r.Rating.System), r.Rating.Value); err == nil {
		a.Rating.Meaning = rt.Meaning
	}
	for _, p := range r.Credits.Cast {
		a.Cast = append(a.Cast, p.Name)
	}
	for _, cat := range catalog.Categories() {
		line := CategoryLine{Category: cat, Label: cat.Label(), Severity: string(catalog.SeverityUnknown)}
		if c := r.Concerns.Get(cat); c != nil {
			line.Severity, line.Note = string(c.Severity), c.Note
		}
		if q.Topic != nil && *q.Topic == cat {
			a.Lines = append([]CategoryLine{line}, a.Lines...)
		} else {
			a.Lines = append(a.Lines, line)
		}
	}
	reply := Reply{Query: q, Status: StatusFound, Match: &m, Candidates: []TitleRef{}, Verdict: &v, Advisory: a, Focus: q.Topic}
	reply.Text = summary(reply)
	return reply
}

// summary is the one-paragraph plain answer.
func summary(r Reply) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s.", r.Match.Label(), r.Verdict.Headline())
	if r.Focus != nil {
		l := r.Advisory.Lines[0]
		fmt.Fprintf(&b, " %s: %s.", l.Label, l.Severity)
		if l.Note != "" {
			fmt.Fprintf(&b, " %s", l.Note)
		}
	} else if len(r.Verdict.Reasons) > 0 {
		fmt.Fprintf(&b, " %s", r.Verdict.Reasons[0])
	}
	fmt.Fprintf(&b, " (Source: %s.)", r.Advisory.Source.Name)
	if r.Advisory.Source.Fixture {
		b.WriteString(" TEST FIXTURE — not a real advisory.")
	}
	return b.String()
}

// withFact answers a fact question ("how long is…", "who directed…",
// "is it on Netflix?") from what the answer holds, before its verdict.
// Without the fact, the reply stays the advisory.
func withFact(r Reply) Reply {
	q := r.Query
	if q.Intent != IntentFact || r.Status != StatusFound || r.Advisory == nil || r.Match == nil {
		return r
	}
	a := r.Advisory
	name := r.Match.Title
	if r.Match.Year > 0 {
		name += fmt.Sprintf(" (%d)", r.Match.Year)
	}
	var fact string
	switch q.Fact {
	case FactRuntime:
		if a.RuntimeMinutes > 0 {
			fact = fmt.Sprintf("%s runs %d minutes.", name, a.RuntimeMinutes)
		}
	case FactDirector:
		if len(a.Directors) > 0 {
			fact = fmt.Sprintf("%s was directed by %s.", name, strings.Join(a.Directors, " and "))
		}
	case FactCast:
		if len(a.Cast) > 0 {
			fact = fmt.Sprintf("%s stars %s.", name, strings.Join(a.Cast[:min(3, len(a.Cast))], ", "))
		}
	case FactRelease:
		if a.Release != "" {
			fact = fmt.Sprintf("%s was released on %s.", name, a.Release)
		}
	case FactWhere:
		switch {
		case a.Platform == "":
		case q.Service != "" && !strings.EqualFold(q.Service, a.Platform):
			fact = fmt.Sprintf("%s was released on %s; I can't say whether it is on %s now.", name, a.Platform, q.Service)
		default:
			fact = fmt.Sprintf("%s was released on %s; streaming catalogues change, so check there.", name, a.Platform)
		}
	}
	if fact == "" {
		return r
	}
	r.Fact = fact
	r.Text = fact + " " + r.Text
	return r
}
