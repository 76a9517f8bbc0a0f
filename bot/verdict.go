package bot

import (
	"fmt"
	"strings"

	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
)

// Level is the answer to "is it OK at this age".
type Level string

// Levels. Unknown is what the bot says without evidence; it is never safe.
const (
	Safe    Level = "safe"
	Caution Level = "caution"
	NotSafe Level = "not_safe"
	Unknown Level = "unknown"
)

func (l Level) rank() int {
	switch l {
	case Safe:
		return 0
	case Caution:
		return 1
	case NotSafe:
		return 2
	}
	return -1
}

// Evidence is how much the verdict rests on.
type Evidence string

// Evidence levels, strongest first.
const (
	EvidenceCurated Evidence = "curated_review"
	EvidenceRating  Evidence = "certification" // an official certification only
	EvidenceNone    Evidence = "none"
)

// Verdict is the bot's answer for one age, with the reasons that decided it.
type Verdict struct {
	Level Level `json:"level"`
	// Age is the age judged.
	Age int `json:"age"`
	// MinAge is the youngest age at which no known fact objects (rating,
	// reviewer's age, severities); nil when nothing is known.
	MinAge *int `json:"min_age"`
	// MinAgeLowerBound is set when some facts are unknown, so the true
	// minimum age may be higher than MinAge.
	MinAgeLowerBound bool     `json:"min_age_lower_bound,omitempty"`
	Reasons          []string `json:"reasons"`
	Evidence         Evidence `json:"evidence"`
}

// Says reports whether one of the reasons already spells out text, so a
// renderer need not say it twice (a rating's meaning, say).
func (v Verdict) Says(text string) bool {
	for _, r := range v.Reasons {
		if strings.Contains(r, text) {
			return true
		}
	}
	return false
}

// severityAges says, per severity, below which age it is not safe and below
// which it calls for caution. Conservative by design: a parent can always
// decide to allow more, but should never be told "safe" too early.
var severityAges = map[catalog.Severity]struct{ notSafeBelow, cautionBelow int }{
	catalog.SeverityNone:     {0, 0},
	catalog.SeverityMild:     {0, 7},
	catalog.SeverityModerate: {10, 13},
	catalog.SeveritySevere:   {16, 18},
}

// Facts are what a verdict can rest on; nil fields are unknown.
type Facts struct {
	Rating            *rating.Rating
	Concerns          *catalog.Concerns // nil: no curated review
	RecommendedMinAge *int
}

// FactsOf returns the facts of a curated review.
func FactsOf(r *catalog.Review) Facts {
	f := Facts{Concerns: &r.Concerns, RecommendedMinAge: r.RecommendedMinAge}
	if rt, err := rating.Lookup(rating.System(r.Rating.System), r.Rating.Value); err == nil {
		f.Rating = &rt
	}
	return f
}

// Decide combines a rating, category severities and the reviewer's minimum
// age into a verdict for age. The worst finding wins; the reasons are the
// findings at that level.
func Decide(f Facts, age int) Verdict {
	v := Verdict{Age: age, Level: Safe, Evidence: EvidenceCurated}
	switch {
	case f.Concerns == nil && f.Rating == nil:
		return Verdict{Age: age, Level: Unknown, Evidence: EvidenceNone,
			Reasons: []string{"No curated review and no official rating: nothing to judge by."}}
	case f.Concerns == nil:
		v.Evidence = EvidenceRating
	}
	minAge := 0
	add := func(l Level, reason string) {
		switch {
		case l.rank() > v.Level.rank():
			v.Level, v.Reasons = l, []string{reason}
		case l == v.Level && l != Safe:
			v.Reasons = append(v.Reasons, reason)
		}
	}
	if r := f.Rating; r != nil {
		minAge = max(minAge, r.MinAge)
		label := fmt.Sprintf("Rated %s (%s)", r.Value, systemName(r.System))
		switch {
		case age >= r.MinAge:
		case r.Guidance && f.Concerns != nil:
			// PG, PG-13, TV-PG, TV-14 bar nobody; they ask parents to judge,
			// and the review says what there is to judge. With the rating
			// alone there is nothing to judge by: below its age, not safe.
			add(Caution, fmt.Sprintf("%s: %s.", label, r.Meaning))
		default:
			add(NotSafe, fmt.Sprintf("%s: %s.", label, r.Meaning))
		}
	}
	if a := f.RecommendedMinAge; a != nil {
		minAge = max(minAge, *a)
		if age < *a {
			add(NotSafe, fmt.Sprintf("The review recommends it for ages %d and up.", *a))
		}
	}
	if f.Concerns == nil {
		v.MinAgeLowerBound = true
		add(Caution, "Only the rating is known: not reviewed in detail.")
	} else {
		for _, cat := range catalog.Categories() {
			c := f.Concerns.Get(cat)
			if c == nil || c.Severity == catalog.SeverityUnknown {
				v.MinAgeLowerBound = true
				add(Caution, fmt.Sprintf("%s: unknown — the source does not say.", cat.Label()))
				continue
			}
			t := severityAges[c.Severity]
			minAge = max(minAge, t.cautionBelow)
			switch {
			case age < t.notSafeBelow:
				add(NotSafe, fmt.Sprintf("%s: %s.", cat.Label(), c.Severity))
			case age < t.cautionBelow:
				add(Caution, fmt.Sprintf("%s: %s.", cat.Label(), c.Severity))
			}
		}
	}
	v.MinAge = &minAge
	if v.Level == Safe {
		v.Reasons = []string{safeReason(f, age)}
	}
	return v
}

func safeReason(f Facts, age int) string {
	if f.Rating != nil {
		return fmt.Sprintf("Rated %s and every category is within what suits %s.", f.Rating.Value, AgePhrase(age))
	}
	return fmt.Sprintf("Every category is within what suits %s.", AgePhrase(age))
}

func systemName(s rating.System) string { return s.Name() }
