package bot

import (
	"fmt"
	"strings"
	"time"
)

// Status says what kind of answer a Reply is.
type Status string

// Statuses.
const (
	StatusFound     Status = "found"
	StatusAmbiguous Status = "ambiguous"
	StatusNotFound  Status = "not_found"
	StatusHelp      Status = "help"
	StatusError     Status = "error"
	// StatusDuplicate marks a platform event already answered (by this or
	// another replica); adapters send nothing.
	StatusDuplicate Status = "duplicate"
)

// TitleRef names one title; Rating is its rating value when known.
type TitleRef struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Year   int    `json:"year"`
	Rating string `json:"rating,omitempty"`
	// Kind tells a film from a show; Source is SourceCurated or SourceTMDB.
	Kind   MediaKind `json:"kind,omitempty"`
	Source string    `json:"source,omitempty"`
	// TMDBID is the title's TMDB id, for TMDB titles.
	TMDBID int `json:"tmdb_id,omitempty"`
	// Country is whose board gave Rating, for certifications.
	Country string `json:"country,omitempty"`
}

// Label is how choices are shown: "Ballerina (2023) · film · TV-MA".
func (t TitleRef) Label() string {
	s := t.Title
	if t.Year > 0 {
		s += fmt.Sprintf(" (%d)", t.Year)
	}
	if t.Kind != "" {
		s += " · " + string(t.Kind)
	}
	if t.Rating != "" {
		s += " · " + t.Rating
	}
	return s
}

// Reply is everything an adapter needs to answer, with no SDK types in it.
type Reply struct {
	Query  Query     `json:"query"`
	Status Status    `json:"status"`
	Match  *TitleRef `json:"match"`
	// Candidates are the titles to choose from (ambiguous) or the closest
	// titles (not found).
	Candidates []TitleRef `json:"candidates"`
	Verdict    *Verdict   `json:"verdict"`
	Advisory   *Advisory  `json:"advisory,omitempty"`
	// Focus is the category asked about; its line comes first in Advisory.
	Focus *Topic   `json:"focus,omitempty"`
	Help  *Help    `json:"help,omitempty"`
	Error *Problem `json:"error,omitempty"`
	// Fact answers a fact question ("Ballerina (2023) runs 92 minutes."),
	// when the data holds it; the verdict follows it.
	Fact string `json:"fact,omitempty"`
	// Settings is a community's settings, for StatusSettings.
	Settings *SettingsView `json:"settings,omitempty"`
	// Notes are short remarks that qualify the answer: data served from
	// an old cache, an age that could not be used, other titles that may
	// share the name.
	Notes []string `json:"notes,omitempty"`
	// Notice is an attribution the data's provider requires (TMDB's).
	Notice string `json:"notice,omitempty"`
	// Visibility is the community's choice for answers: "public",
	// "private", or "" (the adapter's default).
	Visibility string `json:"visibility,omitempty"`
	// Text is a plain-text summary: the notification text on chat
	// platforms and a one-line answer for tools.
	Text string `json:"text"`
}

// Advisory is what is known about a matched title.
type Advisory struct {
	Title             string         `json:"title"`
	Year              int            `json:"year"`
	Kind              string         `json:"kind"`
	Release           string         `json:"release,omitempty"`
	Platform          string         `json:"platform,omitempty"`
	RuntimeMinutes    int            `json:"runtime_minutes,omitempty"`
	Rating            RatingInfo     `json:"rating"`
	Lines             []CategoryLine `json:"lines"`
	Logline           string         `json:"logline,omitempty"`
	CriticVerdict     string         `json:"critic_verdict,omitempty"`
	Themes            []string       `json:"themes,omitempty"`
	RecommendedMinAge *int           `json:"recommended_min_age"`
	Directors         []string       `json:"directors,omitempty"`
	Cast              []string       `json:"cast,omitempty"`
	Source            Attribution    `json:"source"`
}

// RatingInfo is the official rating with its reasons.
type RatingInfo struct {
	System  string   `json:"system"`
	Value   string   `json:"value"`
	Meaning string   `json:"meaning,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// Country is whose board gave the rating (certifications).
	Country string `json:"country,omitempty"`
	// Fallback names the asked country when it had no usable rating and
	// Country's (the US) stands in: "no GB rating; US: PG-13".
	Fallback string `json:"fallback,omitempty"`
	// Release says which release was rated, with the database's note.
	Release string `json:"release,omitempty"`
	// Note is for curators; replies do not show it.
	Note string `json:"note,omitempty"`
}

// CategoryLine is one category with its severity and the source's note.
type CategoryLine struct {
	Category Topic  `json:"category"`
	Label    string `json:"label"`
	Severity string `json:"severity"`
	Note     string `json:"note,omitempty"`
}

// Attribution says where the facts came from and how much they can be trusted.
type Attribution struct {
	Name      string   `json:"name"`
	Reference string   `json:"reference,omitempty"`
	Evidence  Evidence `json:"evidence"`
	// Age is how old the data is, when it is over a day old because the
	// upstream could not be reached to refresh it.
	Age time.Duration `json:"-"`
	// Fixture is true for test data that is not a real advisory.
	Fixture bool `json:"fixture,omitempty"`
}

// Help is usage text.
type Help struct {
	Summary  string   `json:"summary"`
	Examples []string `json:"examples"`
}

// Problem is a user-facing error with what to do next.
type Problem struct {
	Code    ProblemCode `json:"code"`
	Message string      `json:"message"`
	Next    string      `json:"next"`
}

// ProblemCode says which problem a Reply reports, for tools and tests
// (`ask --json` prints it); people read Message and Next.
type ProblemCode string

// Problem codes.
const (
	// ProblemStaleChoice: a disambiguation choice names a title the
	// catalog no longer holds.
	ProblemStaleChoice ProblemCode = "stale_choice"
	// ProblemNoTitle: a follow-up with no title to refer to.
	ProblemNoTitle ProblemCode = "no_title"
	// ProblemRateLimited: the user or community asked too often.
	ProblemRateLimited ProblemCode = "rate_limited"
	// ProblemUpstreamDown: the ratings service cannot be reached and the
	// catalog does not hold the title.
	ProblemUpstreamDown ProblemCode = "ratings_unavailable"
	// ProblemUpstreamConfig: the ratings service refused the bot's
	// credentials (an operator's problem, said plainly).
	ProblemUpstreamConfig ProblemCode = "ratings_misconfigured"
)

// Ages of the default profile: "family-safe" means safe for children under 13.
const defaultProfileAge = 12

func helpReply(q Query) Reply {
	h := &Help{
		Summary: "I tell you whether a film or show suits a child, and why. Where I have a curated review, I say what is in it: violence, sex, language, substances, frightening scenes. For other titles I give the official rating when I can find one, and say that no one has reviewed them in detail. Every answer names its source.",
		Examples: []string{
			"Ballerina",
			"Ballerina 2023",
			"is Ballerina family-safe?",
			"can my 8 year old watch Ballerina?",
			"how much swearing is in Ballerina?",
			"what about the violence? (after a title)",
		},
	}
	return Reply{Query: q, Status: StatusHelp, Candidates: []TitleRef{}, Help: h,
		Text: h.Summary + " Try: " + strings.Join(h.Examples[:4], " · ")}
}

func problemReply(q Query, p Problem) Reply {
	return Reply{Query: q, Status: StatusError, Candidates: []TitleRef{}, Error: &p, Text: p.Message + " " + p.Next}
}

// levelPhrase words a verdict for people.
func levelPhrase(l Level) string {
	switch l {
	case Safe:
		return "Suitable"
	case Caution:
		return "Use caution"
	case NotSafe:
		return "Not suitable"
	}
	return "Unknown"
}

// Headline is the one-line verdict: "Not suitable for a 12-year-old".
func (v Verdict) Headline() string {
	if v.Level == Unknown {
		return fmt.Sprintf("Unknown for %s: not enough information", AgePhrase(v.Age))
	}
	return fmt.Sprintf("%s for %s", levelPhrase(v.Level), AgePhrase(v.Age))
}

// AgePhrase is "a 12-year-old" or "an 8-year-old".
func AgePhrase(age int) string {
	article := "a"
	if age == 8 || age == 11 || age == 18 || age >= 80 && age <= 89 {
		article = "an"
	}
	return fmt.Sprintf("%s %d-year-old", article, age)
}
