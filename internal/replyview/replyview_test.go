package replyview_test

import (
	"slices"
	"testing"

	"advisorybot/bot"
	"advisorybot/internal/replyview"
	"advisorybot/internal/replyview/replytest"
)

func TestWebURL(t *testing.T) {
	tests := []struct{ ref, want string }{
		{"https://www.themoviedb.org/movie/1", "https://www.themoviedb.org/movie/1"},
		{"http://example.org/review", "http://example.org/review"},
		{"shared/seeds/ballerina-2023-review.txt", ""},
		{"testdata/reviews/ballerina-2016.json", ""},
		{"/etc/passwd", ""},
		{"file:///etc/passwd", ""},
		{"javascript:alert(1)", ""},
		{"https://", ""},
		{"https://user:pw@example.org/", ""},
		{"https://example.org/a|b", ""},
		{"https://example.org/<!channel>", ""},
		{"https://example.org/a b", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := replyview.WebURL(tc.ref); got != tc.want {
			t.Errorf("WebURL(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}

func curated(focus *bot.Topic) bot.Reply {
	lines := []bot.CategoryLine{
		{Category: "violence", Label: "Violence", Severity: "severe", Note: "Fights."},
		{Category: "profanity", Label: "Language", Severity: "mild"},
		{Category: "frightening", Label: "Frightening & intense scenes", Severity: "unknown"},
	}
	if focus != nil && *focus == "profanity" {
		lines[0], lines[1] = lines[1], lines[0]
	}
	return bot.Reply{Status: bot.StatusFound, Focus: focus,
		Verdict: &bot.Verdict{Level: bot.NotSafe, Age: 12, Evidence: bot.EvidenceCurated,
			Reasons: []string{"Rated R (MPAA): Restricted: under 17 requires an accompanying parent or adult guardian.", "Violence: severe."}},
		Advisory: &bot.Advisory{Lines: lines,
			Rating: bot.RatingInfo{System: "MPAA", Value: "R", Meaning: "Restricted: under 17 requires an accompanying parent or adult guardian", Note: "curators only"},
			Source: bot.Attribution{Name: "Curated parents' review", Reference: "shared/seeds/x.txt", Evidence: bot.EvidenceCurated}}}
}

func TestOf(t *testing.T) {
	t.Run("curated", func(t *testing.T) {
		a := replyview.Of(curated(nil))
		if len(a.Reasons) != 2 || a.Reasons[0].Line != nil || a.Reasons[1].Line == nil || a.Reasons[1].Line.Category != "violence" {
			t.Errorf("reasons %+v: the violence reason should carry its line", a.Reasons)
		}
		if got := labels(a.Others); !slices.Equal(got, []string{"Language", "Frightening & intense scenes"}) {
			t.Errorf("others %q: violence is in the reasons, the rest is not", got)
		}
		if a.Rating != "R (MPAA)" {
			t.Errorf("rating %q: the meaning is in a reason already", a.Rating)
		}
		if a.SourceURL != "" || a.Source != "Curated parents' review" || a.Evidence != "curated review" || !a.Details {
			t.Errorf("source %q %q %q, details %v", a.Source, a.SourceURL, a.Evidence, a.Details)
		}
	})
	t.Run("topic", func(t *testing.T) {
		topic := bot.Topic("violence")
		a := replyview.Of(curated(&topic))
		if a.Focus == nil || a.Focus.Label != "Violence" || len(a.Reasons) != 1 {
			t.Errorf("focus %+v reasons %+v: the topic's reason is its line", a.Focus, a.Reasons)
		}
		if got := labels(a.Others); !slices.Equal(got, []string{"Language", "Frightening & intense scenes"}) {
			t.Errorf("others %q", got)
		}
	})
	t.Run("certification", func(t *testing.T) {
		cases := replytest.Cases()
		a := replyview.Of(cases[1].Reply) // caution: the verdict's only reason is "only the rating is known"
		if len(a.Reasons) != 1 || a.Reasons[0].Text != replyview.CertificationOnly {
			t.Errorf("reasons %+v", a.Reasons)
		}
		if a.MinAge != "Suggested minimum age: at least 12 (from the rating alone)" || a.Details || a.SourceURL == "" {
			t.Errorf("%+v", a)
		}
		a = replyview.Of(cases[0].Reply) // not safe: the rating decides; the depth is said too
		if len(a.Reasons) != 2 || a.Reasons[1].Text != replyview.CertificationOnly || a.RatingFor != "violence, some strong language" {
			t.Errorf("reasons %+v", a.Reasons)
		}
		if a.Rating != "no GB rating; US: PG-13 (MPAA)" {
			t.Errorf("rating %q", a.Rating)
		}
		a = replyview.Of(cases[2].Reply) // a topic whose line says it already
		if a.Focus == nil || slices.ContainsFunc(a.Reasons, func(r replyview.Reason) bool { return r.Text == replyview.CertificationOnly }) {
			t.Errorf("focus %+v reasons %+v", a.Focus, a.Reasons)
		}
	})
}

func labels(ls []bot.CategoryLine) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Label)
	}
	return out
}
