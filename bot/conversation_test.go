package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
)

// TestConversation walks one thread through the follow-ups parents type:
// each step is asked in order in the same conversation, and says which
// title and age the answer must be about.
func TestConversation(t *testing.T) {
	b := fixtureBot(t, bot.Config{Gate: memory.New()})
	ctx := context.Background()
	steps := []struct {
		text   string
		status bot.Status
		id     string // the title answered, when found
		age    int
		inText string // a phrase the answer's text must hold
	}{
		{"is Ballerina ok for my 9 year old?", bot.StatusAmbiguous, "", 0, "Several titles"},
		{"the 2016 one", bot.StatusFound, "ballerina-2016", 9, ""},
		{"what about 17?", bot.StatusFound, "ballerina-2016", 17, ""},
		{"and the 2023 one?", bot.StatusFound, "ballerina-2023", 17, ""},
		{"what about Fixture Meadow Friends?", bot.StatusFound, "fixture-meadow-friends", 17, ""},
		{"is Fixture Storm Harbor family-safe?", bot.StatusFound, "fixture-storm-harbor", 12, ""}, // a new question: the profile's age
		{"can my 0 year old watch Fixture Storm Harbor?", bot.StatusFound, "fixture-storm-harbor", 12, "can't use 0 as an age"},
		{"how long is Ballerina 2023?", bot.StatusFound, "ballerina-2023", 12, "runs 92 minutes"},
		{"who directed it?", bot.StatusFound, "ballerina-2023", 12, "directed by Chung-Hyun Lee"},
		{"is Zzyzx Nonexistent ok for kids?", bot.StatusNotFound, "", 0, "Zzyzx Nonexistent"},
		{"what about the language?", bot.StatusNotFound, "", 0, "Zzyzx Nonexistent"}, // never falls back to an older title
	}
	for _, s := range steps {
		r := b.Handle(ctx, bot.Request{Platform: "test", Conversation: "thread-1", UserID: "u1", Text: s.text})
		if r.Status != s.status {
			t.Fatalf("%q: status %s, want %s (%s)", s.text, r.Status, s.status, r.Text)
		}
		if s.id != "" && (r.Match == nil || r.Match.ID != s.id) {
			t.Fatalf("%q: match %+v, want %s", s.text, r.Match, s.id)
		}
		if s.age != 0 && r.Verdict.Age != s.age {
			t.Errorf("%q: verdict for age %d, want %d", s.text, r.Verdict.Age, s.age)
		}
		all := r.Text + " " + strings.Join(r.Notes, " ")
		if s.inText != "" && !strings.Contains(all, s.inText) {
			t.Errorf("%q: answer %q lacks %q", s.text, all, s.inText)
		}
	}
}

// fakeUpstream answers searches from a table; it knows no certifications.
type fakeUpstream struct {
	titles  map[string][]bot.UpstreamTitle // by "title|year"
	details map[int]bot.UpstreamDetails
	asked   []string
}

func (f *fakeUpstream) Search(_ context.Context, title string, year int) ([]bot.UpstreamTitle, error) {
	k := fmt.Sprintf("%s|%d", title, year)
	f.asked = append(f.asked, k)
	return f.titles[k], nil
}

func (f *fakeUpstream) Details(_ context.Context, ref bot.UpstreamRef) (bot.UpstreamDetails, error) {
	d, ok := f.details[ref.ID]
	if !ok {
		return d, bot.ErrUpstreamNotFound
	}
	return d, nil
}

// TestSecondReading: when the title as first read finds nothing, the
// question's second reading is looked up — the second and last lookup —
// and the answer and the conversation are about what it found.
func TestSecondReading(t *testing.T) {
	dr := bot.UpstreamTitle{Ref: bot.UpstreamRef{Kind: bot.MediaFilm, ID: 7}, Title: "Death Race 2000", Year: 1975}
	up := &fakeUpstream{
		titles: map[string][]bot.UpstreamTitle{"Death Race 2000|0": {dr}},
		details: map[int]bot.UpstreamDetails{7: {UpstreamTitle: dr, Certifications: []bot.Certification{
			{Country: "US", Value: "R", ReleaseType: 3}}}},
	}
	b := fixtureBot(t, bot.Config{Gate: memory.New(), Upstream: up})
	ctx := context.Background()
	r := b.Handle(ctx, bot.Request{Platform: "test", Conversation: "c", UserID: "u", Text: "is Death Race 2000 ok for my 12 year old?"})
	if r.Status != bot.StatusFound || r.Match.TMDBID != 7 || r.Verdict.Level != bot.NotSafe {
		t.Fatalf("status %s match %+v verdict %+v; want Death Race 2000 (1975), not safe", r.Status, r.Match, r.Verdict)
	}
	if r.Query.Title != "Death Race 2000" || r.Query.Year != nil || r.Query.Alt != nil {
		t.Errorf("query %+v: want the reading that resolved", r.Query)
	}
	if len(up.asked) != 2 || up.asked[0] != "Death Race|2000" || up.asked[1] != "Death Race 2000|0" {
		t.Errorf("searches %q; want the first reading, then the second", up.asked)
	}
	up.asked = nil
	f := b.Handle(ctx, bot.Request{Platform: "test", Conversation: "c", UserID: "u", Text: "what about the language?"})
	if f.Status != bot.StatusFound || f.Match.TMDBID != 7 || len(up.asked) > 1 {
		t.Errorf("follow-up: %s %+v after searches %q; want the same film in at most one search", f.Status, f.Match, up.asked)
	}
}
