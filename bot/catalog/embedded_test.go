package catalog

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"advisorybot/data"
)

// TestEmbeddedBallerina checks the shipped catalog against every fact of the
// seed review (shared/seeds/ballerina-2023-review.txt).
func TestEmbeddedBallerina(t *testing.T) {
	c, err := Load(context.Background(), data.Reviews())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := c.Review("ballerina-2023")
	if !ok {
		t.Fatal("ballerina-2023 is not in the embedded catalog")
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("title", r.Title, "Ballerina")
	check("year", r.Year, 2023)
	check("kind", r.Kind, "movie")
	check("fixture", r.Fixture, false)
	check("runtime", r.RuntimeMinutes, 92)
	check("release date", r.Release.Date, "2023-10-06")
	check("platform", r.Release.Platform, "Netflix")
	// "rated TV-MA by the MPAA" in the seed: TV-MA belongs to the TV guidelines.
	check("rating system", r.Rating.System, "US-TV")
	check("rating value", r.Rating.Value, "TV-MA")
	if want := []string{"language", "sexual violence", "smoking", "suicide", "violence"}; !slices.Equal(r.Rating.Reasons, want) {
		t.Errorf("rating reasons = %q, want %q", r.Rating.Reasons, want)
	}
	if !slices.Equal(r.Credits.Directors, []string{"Chung-Hyun Lee"}) {
		t.Errorf("directors = %q", r.Credits.Directors)
	}
	wantCast := []Person{{"Jun Jong-seo", "Ok-ju"}, {"Park Yu-rim", "Min-hee"}, {"Kim Ji-hun", "Pro Choi"}}
	if !slices.Equal(r.Credits.Cast, wantCast) {
		t.Errorf("cast = %+v, want %+v", r.Credits.Cast, wantCast)
	}
	check("logline", r.Logline, "An ex-bodyguard sets out to get revenge for her best friend's death.")
	check("critic verdict", r.CriticVerdict, "It's beautifully shot but this vengeance thriller is thin on character development and full of violence.")
	if !strings.Contains(r.Summary, "criminal operation trafficking young women into sex slavery") {
		t.Errorf("summary lacks the plot: %q", r.Summary)
	}
	severities := map[Category]Severity{
		Violence:      SeveritySevere,
		SexualContent: SeveritySevere,
		Profanity:     SeveritySevere,
		Substances:    SeverityModerate,
		Frightening:   SeverityUnknown, // the seed has no such section
	}
	for _, cat := range Categories() {
		cn := r.Concerns.Get(cat)
		if cn == nil {
			t.Errorf("%s: missing", cat)
			continue
		}
		check(string(cat)+" severity", cn.Severity, severities[cat])
	}
	wantCounts := []Count{
		{"sexual expletives", 30, "about"},
		{"mild and moderate expletives", 40, "over"},
		{"terms of deity", 5, "exactly"},
	}
	if got := r.Concerns.Profanity.Counts; !slices.Equal(got, wantCounts) {
		t.Errorf("profanity counts = %+v, want %+v", got, wantCounts)
	}
	notes := map[Category]string{
		Violence:      "A man is killed by a flamethrower.",
		SexualContent: "The plot revolves around rape and sex trafficking.",
		Profanity:     "The script contains around 30 sexual expletives, over 40 mild and moderate expletives, and five terms of deity.",
		Substances:    "Adult characters smoke cigarettes in many scenes. Women are drugged before being assaulted.",
	}
	for cat, want := range notes {
		if !strings.Contains(r.Concerns.Get(cat).Note, want) {
			t.Errorf("%s note = %q, want it to contain %q", cat, r.Concerns.Get(cat).Note, want)
		}
	}
	if r.RecommendedMinAge == nil || *r.RecommendedMinAge != 18 {
		t.Errorf("recommended_min_age = %v, want 18", r.RecommendedMinAge)
	}
	check("source kind", r.Source.Kind, "curated_review")
	check("source reference", r.Source.Reference, "shared/seeds/ballerina-2023-review.txt")

	// Found by title, typo and year.
	if res := c.Search("Ballerina", 2023); len(res.Hits) != 1 || res.Hits[0].ID != "ballerina-2023" {
		t.Errorf("Search(Ballerina, 2023) = %+v", res)
	}
	if res := c.Search("balerina", 0); len(res.Hits) != 1 || res.Hits[0].ID != "ballerina-2023" {
		t.Errorf("Search(balerina) = %+v", res)
	}
}

// TestEmbeddedNotesQuoteSeed checks, when the seed is at hand, that each
// category note quotes the seed word for word.
func TestEmbeddedNotesQuoteSeed(t *testing.T) {
	raw, err := os.ReadFile("../../../shared/seeds/ballerina-2023-review.txt")
	if err != nil {
		t.Skipf("seed not available: %v", err)
	}
	seed := strings.NewReplacer("’", "'", "‘", "'").Replace(string(raw))
	c, err := Load(context.Background(), data.Reviews())
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Review("ballerina-2023")
	for _, cat := range []Category{Violence, SexualContent, Profanity, Substances} {
		if note := r.Concerns.Get(cat).Note; !strings.Contains(seed, note) {
			t.Errorf("%s note %q is not in the seed", cat, note)
		}
	}
	for _, s := range []string{r.Logline, r.CriticVerdict, r.Summary} {
		if !strings.Contains(seed, s) {
			t.Errorf("%q is not in the seed", s)
		}
	}
	for _, reason := range r.Rating.Reasons {
		if !strings.Contains(seed, reason) {
			t.Errorf("rating reason %q is not in the seed", reason)
		}
	}
}
