package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
)

func concerns(sev catalog.Severity) *catalog.Concerns {
	c := func() *catalog.Concern { return &catalog.Concern{Severity: sev, Note: "note"} }
	return &catalog.Concerns{Violence: c(), SexualContent: c(), Profanity: c(), Substances: c(), Frightening: c()}
}

func ratingOf(t *testing.T, s rating.System, v string) *rating.Rating {
	t.Helper()
	r, err := rating.Lookup(s, v)
	if err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestDecideRatingOnly walks every rating of every system across the ages
// around its boundary: with a rating alone (no curated review), below its
// age is not safe, guidance rating or not, at or above it caution, and a
// rating alone is never "safe".
func TestDecideRatingOnly(t *testing.T) {
	tests := []struct {
		system rating.System
		value  string
		// below is the level just under the rating's age; at is the level at it.
		minAge    int
		below, at Level
	}{
		{rating.MPAA, "G", 0, "", Caution},
		{rating.MPAA, "PG", 8, NotSafe, Caution},
		{rating.MPAA, "PG-13", 13, NotSafe, Caution},
		{rating.MPAA, "R", 17, NotSafe, Caution},
		{rating.MPAA, "NC-17", 18, NotSafe, Caution},
		{rating.USTV, "TV-Y", 0, "", Caution},
		{rating.USTV, "TV-Y7", 7, NotSafe, Caution},
		{rating.USTV, "TV-G", 0, "", Caution},
		{rating.USTV, "TV-PG", 10, NotSafe, Caution},
		{rating.USTV, "TV-14", 14, NotSafe, Caution},
		{rating.USTV, "TV-MA", 17, NotSafe, Caution},
	}
	// Every US rating must be in the table; every other system's ratings
	// (bot/rating tests their ages) follow the same rule, checked below.
	var seen []string
	for _, tc := range tests {
		seen = append(seen, string(tc.system)+"/"+tc.value)
	}
	for _, s := range rating.Systems() {
		for _, r := range rating.Values(s) {
			key := string(s) + "/" + r.Value
			switch {
			case slices.Contains(seen, key):
			case s == rating.MPAA || s == rating.USTV:
				t.Errorf("rating %s %s has no verdict test", s, r.Value)
			default:
				below := Level("")
				if r.MinAge > 0 {
					below = NotSafe // a rating alone: below its age is never merely caution
				}
				tests = append(tests, struct {
					system    rating.System
					value     string
					minAge    int
					below, at Level
				}{s, r.Value, r.MinAge, below, Caution})
			}
		}
	}
	for _, tc := range tests {
		t.Run(string(tc.system)+"/"+tc.value, func(t *testing.T) {
			f := Facts{Rating: ratingOf(t, tc.system, tc.value)}
			if tc.minAge > 0 {
				v := Decide(f, tc.minAge-1)
				if v.Level != tc.below {
					t.Errorf("age %d: level %s, want %s (reasons %q)", tc.minAge-1, v.Level, tc.below, v.Reasons)
				}
			}
			v := Decide(f, tc.minAge)
			if v.Level != tc.at {
				t.Errorf("age %d: level %s, want %s (reasons %q)", tc.minAge, v.Level, tc.at, v.Reasons)
			}
			if v.Evidence != EvidenceRating {
				t.Errorf("evidence %s, want %s", v.Evidence, EvidenceRating)
			}
			if v.MinAge == nil || *v.MinAge != tc.minAge || !v.MinAgeLowerBound {
				t.Errorf("min age %v (lower bound %v), want lower bound %d", v.MinAge, v.MinAgeLowerBound, tc.minAge)
			}
			if v18 := Decide(f, 30); v18.Level == Safe {
				t.Errorf("a rating alone must never give safe, got %s", v18.Level)
			}
		})
	}
}

func TestDecideSeverities(t *testing.T) {
	g := func(t *testing.T) *rating.Rating { return ratingOf(t, rating.MPAA, "G") }
	tests := []struct {
		sev  catalog.Severity
		age  int
		want Level
	}{
		{catalog.SeverityNone, 0, Safe},
		{catalog.SeverityNone, 12, Safe},
		{catalog.SeverityMild, 6, Caution},
		{catalog.SeverityMild, 7, Safe},
		{catalog.SeverityModerate, 9, NotSafe},
		{catalog.SeverityModerate, 10, Caution},
		{catalog.SeverityModerate, 12, Caution},
		{catalog.SeverityModerate, 13, Safe},
		{catalog.SeveritySevere, 15, NotSafe},
		{catalog.SeveritySevere, 16, Caution},
		{catalog.SeveritySevere, 17, Caution},
		{catalog.SeveritySevere, 18, Safe},
		{catalog.SeverityUnknown, 0, Caution},
		{catalog.SeverityUnknown, 40, Caution},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d", tc.sev, tc.age), func(t *testing.T) {
			zero := 0
			v := Decide(Facts{Rating: g(t), Concerns: concerns(tc.sev), RecommendedMinAge: &zero}, tc.age)
			if v.Level != tc.want {
				t.Fatalf("level %s, want %s (reasons %q)", v.Level, tc.want, v.Reasons)
			}
			if len(v.Reasons) == 0 {
				t.Fatal("a verdict must give its reasons")
			}
			if v.Evidence != EvidenceCurated {
				t.Errorf("evidence %s, want %s", v.Evidence, EvidenceCurated)
			}
			if tc.sev == catalog.SeverityUnknown {
				for _, r := range v.Reasons {
					if !strings.Contains(r, "unknown") {
						t.Errorf("reason %q does not say the category is unknown", r)
					}
				}
				if !v.MinAgeLowerBound {
					t.Error("unknown categories must make min age a lower bound")
				}
			}
		})
	}
}

func TestDecideRecommendedAgeAndWorstWins(t *testing.T) {
	pg := ratingOf(t, rating.MPAA, "PG")
	ten := 10
	f := Facts{Rating: pg, Concerns: concerns(catalog.SeverityNone), RecommendedMinAge: &ten}
	tests := []struct {
		age     int
		want    Level
		reasons []string
	}{
		{7, NotSafe, []string{"The review recommends it for ages 10 and up."}},
		{9, NotSafe, []string{"The review recommends it for ages 10 and up."}},
		{10, Safe, []string{"Rated PG and every category is within what suits a 10-year-old."}},
	}
	for _, tc := range tests {
		v := Decide(f, tc.age)
		if v.Level != tc.want || !slices.Equal(v.Reasons, tc.reasons) {
			t.Errorf("age %d: %s %q, want %s %q", tc.age, v.Level, v.Reasons, tc.want, tc.reasons)
		}
		if *v.MinAge != 10 || v.MinAgeLowerBound {
			t.Errorf("age %d: min age %d (lower bound %v), want exactly 10", tc.age, *v.MinAge, v.MinAgeLowerBound)
		}
	}
}

func TestDecideNoData(t *testing.T) {
	v := Decide(Facts{}, 12)
	if v.Level != Unknown || v.Evidence != EvidenceNone || v.MinAge != nil {
		t.Fatalf("no facts: got %+v, want unknown with no evidence and no min age", v)
	}
}

// TestBallerinaVerdicts pins the shipped review's verdicts at the ages that matter.
func TestBallerinaVerdicts(t *testing.T) {
	r := shippedReview(t, "ballerina-2023")
	tests := []struct {
		age  int
		want Level
	}{{5, NotSafe}, {12, NotSafe}, {16, NotSafe}, {17, NotSafe}, {18, Caution}, {40, Caution}}
	for _, tc := range tests {
		v := Decide(FactsOf(r), tc.age)
		if v.Level != tc.want {
			t.Errorf("age %d: %s %q, want %s", tc.age, v.Level, v.Reasons, tc.want)
		}
	}
	v := Decide(FactsOf(r), 40)
	if !slices.Equal(v.Reasons, []string{"Frightening & intense scenes: unknown — the source does not say."}) {
		t.Errorf("adult verdict reasons %q: the only doubt left should be the unknown category", v.Reasons)
	}
}

func TestAgePhrase(t *testing.T) {
	for age, want := range map[int]string{1: "a 1-year-old", 8: "an 8-year-old", 11: "an 11-year-old", 12: "a 12-year-old", 18: "an 18-year-old", 80: "an 80-year-old"} {
		if got := AgePhrase(age); got != want {
			t.Errorf("AgePhrase(%d) = %q, want %q", age, got, want)
		}
	}
}

func TestVerdictSays(t *testing.T) {
	v := Verdict{Reasons: []string{"Rated R (MPAA): Restricted: under 17 requires an adult.", "Violence: severe."}}
	for text, want := range map[string]bool{"Restricted: under 17 requires an adult": true, "Violence": true, "Language": false, "": true} {
		if got := v.Says(text); got != want {
			t.Errorf("Says(%q) = %v, want %v", text, got, want)
		}
	}
	if (Verdict{}).Says("anything") {
		t.Error("a verdict without reasons says something")
	}
}
