package bot_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"weak"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

func fixtureBot(t *testing.T, cfg bot.Config) *bot.Bot {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Catalog = live
	return bot.New(cfg)
}

func ids(refs []bot.TitleRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

func TestHandle(t *testing.T) {
	b := fixtureBot(t, bot.Config{})
	tests := []struct {
		name       string
		req        bot.Request
		status     bot.Status
		match      string
		candidates []string
		level      bot.Level
		age        int
	}{
		{"same name is never merged", bot.Request{Text: "Ballerina"}, bot.StatusAmbiguous, "", []string{"ballerina-2016", "ballerina-2023"}, "", 0},
		{"year resolves", bot.Request{Text: "Ballerina 2023"}, bot.StatusFound, "ballerina-2023", nil, bot.NotSafe, 12},
		{"bracketed year resolves", bot.Request{Text: "is Ballerina (2016) ok for my 6 year old?"}, bot.StatusFound, "ballerina-2016", nil, bot.Caution, 6},
		{"alias", bot.Request{Text: "Leap!"}, bot.StatusFound, "ballerina-2016", nil, bot.Caution, 12},
		{"typo with year", bot.Request{Text: "balerina 2023"}, bot.StatusFound, "ballerina-2023", nil, bot.NotSafe, 12},
		{"typo without year stays ambiguous", bot.Request{Text: "is balerina family safe"}, bot.StatusAmbiguous, "", []string{"ballerina-2016", "ballerina-2023"}, "", 0},
		{"wrong year offers the real ones", bot.Request{Text: "Ballerina 1999"}, bot.StatusNotFound, "", []string{"ballerina-2016", "ballerina-2023"}, bot.Unknown, 12},
		{"unknown title is unknown, never safe", bot.Request{Text: "is Frozen ok for kids"}, bot.StatusNotFound, "", nil, bot.Unknown, 12},
		{"close miss suggests", bot.Request{Text: "Fixture Meadow"}, bot.StatusNotFound, "", []string{"fixture-meadow-friends", "fixture-storm-harbor"}, bot.Unknown, 12},
		{"safe with full evidence", bot.Request{Text: "can my 8 year old watch fixture meadow friends"}, bot.StatusFound, "fixture-meadow-friends", nil, bot.Safe, 8},
		{"mild below its age", bot.Request{Text: "fixture meadow friends for my 5 year old"}, bot.StatusFound, "fixture-meadow-friends", nil, bot.Caution, 5},
		{"guidance rating", bot.Request{Text: "is Fixture Storm Harbor ok for a 14 year old"}, bot.StatusFound, "fixture-storm-harbor", nil, bot.Safe, 14},
		{"reviewer age", bot.Request{Text: "is Fixture Storm Harbor ok for a 11 year old"}, bot.StatusFound, "fixture-storm-harbor", nil, bot.NotSafe, 11},
		{"blank is help", bot.Request{Text: "   "}, bot.StatusHelp, "", nil, "", 0},
		{"options", bot.Request{Options: &bot.Options{Title: "Ballerina", Year: 2016, Age: 9}}, bot.StatusFound, "ballerina-2016", nil, bot.Caution, 9},
		{"options title holding a year", bot.Request{Options: &bot.Options{Title: "Ballerina 2023"}}, bot.StatusFound, "ballerina-2023", nil, bot.NotSafe, 12},
		{"pick by id", bot.Request{Options: &bot.Options{ID: "ballerina-2023", Age: 17}}, bot.StatusFound, "ballerina-2023", nil, bot.NotSafe, 17},
		{"stale pick", bot.Request{Options: &bot.Options{ID: "gone-1999"}}, bot.StatusError, "", nil, "", 0},
		{"follow-up with no conversation", bot.Request{Text: "what about the language?"}, bot.StatusError, "", nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.Handle(context.Background(), tc.req)
			if r.Status != tc.status {
				t.Fatalf("status %s, want %s (text %q)", r.Status, tc.status, r.Text)
			}
			if got := ""; r.Match != nil {
				got = r.Match.ID
				if got != tc.match {
					t.Errorf("match %s, want %s", got, tc.match)
				}
			} else if tc.match != "" {
				t.Errorf("no match, want %s", tc.match)
			}
			if tc.candidates != nil && !slices.Equal(ids(r.Candidates), tc.candidates) {
				t.Errorf("candidates %v, want %v", ids(r.Candidates), tc.candidates)
			}
			if r.Candidates == nil {
				t.Error("candidates must be an empty list, not null")
			}
			switch {
			case tc.level == "" && r.Verdict != nil:
				t.Errorf("unexpected verdict %+v", r.Verdict)
			case tc.level != "" && r.Verdict == nil:
				t.Errorf("no verdict, want %s", tc.level)
			case tc.level != "":
				if r.Verdict.Level != tc.level || r.Verdict.Age != tc.age {
					t.Errorf("verdict %s at %d, want %s at %d (reasons %q)", r.Verdict.Level, r.Verdict.Age, tc.level, tc.age, r.Verdict.Reasons)
				}
			}
			if r.Status == bot.StatusError && (r.Error == nil || r.Error.Next == "") {
				t.Errorf("an error must say what to do next: %+v", r.Error)
			}
			if r.Text == "" {
				t.Error("every reply has a plain text")
			}
		})
	}
}

func TestTitleWithNumberFallsBackFromYear(t *testing.T) {
	// "Death Race 2000" parses as a title with a year; the lookup retries the
	// whole string as a title. The review is built in memory for this test only.
	zero := 0
	r := &catalog.Review{ID: "fixture-race-2000", Title: "Fixture Race 2000", Year: 1975, Kind: "movie", RecommendedMinAge: &zero,
		Rating: catalog.Rating{System: "MPAA", Value: "R"}, Fixture: true}
	b := bot.New(bot.Config{Catalog: bot.StaticCatalog{C: catalog.New([]*catalog.Review{r}, "v1")}})
	got := b.Handle(context.Background(), bot.Request{Text: "Fixture Race 2000"})
	if got.Status != bot.StatusFound || got.Match.ID != "fixture-race-2000" {
		t.Fatalf("got %s %+v, want the title with the number", got.Status, got.Match)
	}
}

// TestTitleNormalisedOnce: a title whose key still starts with an article
// after one normalisation ("The A Team" → "a team") is found; normalising
// the lookup key a second time would search "team" and miss it.
func TestTitleNormalisedOnce(t *testing.T) {
	zero := 0
	r := &catalog.Review{ID: "fixture-a-team-2001", Title: "The A Fixture", Year: 2001, Kind: "movie", RecommendedMinAge: &zero,
		Rating: catalog.Rating{System: "MPAA", Value: "PG"}, Fixture: true}
	b := bot.New(bot.Config{Catalog: bot.StaticCatalog{C: catalog.New([]*catalog.Review{r}, "v1")}})
	for _, text := range []string{"The A Fixture", "is The A Fixture ok for kids?"} {
		got := b.Handle(context.Background(), bot.Request{Text: text})
		if got.Status != bot.StatusFound || got.Match.ID != r.ID {
			t.Errorf("%q: %s %+v, want the title found", text, got.Status, got.Match)
		}
	}
}

func TestTopicPutsItsCategoryFirst(t *testing.T) {
	b := fixtureBot(t, bot.Config{})
	r := b.Handle(context.Background(), bot.Request{Text: "how much swearing is in Ballerina 2023?"})
	if r.Status != bot.StatusFound || r.Focus == nil || *r.Focus != catalog.Profanity {
		t.Fatalf("status %s focus %v, want found with focus profanity", r.Status, r.Focus)
	}
	if first := r.Advisory.Lines[0]; first.Category != catalog.Profanity || first.Severity != "severe" || first.Note == "" {
		t.Errorf("first line %+v, want the profanity line with its note", first)
	}
	if len(r.Advisory.Lines) != len(catalog.Categories()) {
		t.Errorf("%d lines, want one per category", len(r.Advisory.Lines))
	}
}

func TestFollowUpUsesConversation(t *testing.T) {
	store := memory.New()
	b := fixtureBot(t, bot.Config{Gate: store})
	ctx := context.Background()
	first := b.Handle(ctx, bot.Request{Platform: "test", Conversation: "c1", Text: "can my 10 year old watch Ballerina 2023?"})
	if first.Status != bot.StatusFound {
		t.Fatalf("first answer: %s", first.Status)
	}
	tests := []struct {
		conv, text string
		status     bot.Status
		topic      catalog.Category
		age        int
	}{
		{"c1", "what about the language?", bot.StatusFound, catalog.Profanity, 10},
		{"c1", "is it violent?", bot.StatusFound, catalog.Violence, 10},
		{"c1", "is it ok for a 17 year old?", bot.StatusFound, "", 17},
		{"c1", "what about drugs?", bot.StatusFound, catalog.Substances, 17},
		{"c1", "and for a 15 year old?", bot.StatusFound, "", 15},
		{"c1", "and the language?", bot.StatusFound, catalog.Profanity, 15},
		{"c2", "what about the language?", bot.StatusError, "", 0},
	}
	for _, tc := range tests {
		r := b.Handle(ctx, bot.Request{Platform: "test", Conversation: tc.conv, Text: tc.text})
		if r.Status != tc.status {
			t.Errorf("%s %q: status %s, want %s (%s)", tc.conv, tc.text, r.Status, tc.status, r.Text)
			continue
		}
		if tc.status != bot.StatusFound {
			continue
		}
		if r.Match.ID != "ballerina-2023" {
			t.Errorf("%q: match %s, want the title just discussed", tc.text, r.Match.ID)
		}
		if tc.topic != "" && (r.Focus == nil || *r.Focus != tc.topic) {
			t.Errorf("%q: focus %v, want %s", tc.text, r.Focus, tc.topic)
		}
		if r.Verdict.Age != tc.age {
			t.Errorf("%q: verdict for age %d, want %d", tc.text, r.Verdict.Age, tc.age)
		}
	}
}

func TestDedupeRateLimitAndProfile(t *testing.T) {
	store := memory.New()
	b := fixtureBot(t, bot.Config{Gate: store, Settings: store, Limits: bot.Limits{UserPerMinute: 3}})
	ctx := context.Background()
	req := bot.Request{Platform: "test", EventID: "ev1", UserID: "u1", Community: "g1", Text: "Ballerina 2023"}
	if r := b.Handle(ctx, req); r.Status != bot.StatusFound {
		t.Fatalf("first delivery: %s", r.Status)
	}
	if r := b.Handle(ctx, req); r.Status != bot.StatusDuplicate {
		t.Fatalf("second delivery of ev1: %s, want duplicate", r.Status)
	}
	if err := b.SetProfile(ctx, "test", "g1", bot.Profile{Age: 16}); err != nil {
		t.Fatal(err)
	}
	req.EventID = "ev2"
	if r := b.Handle(ctx, req); r.Verdict == nil || r.Verdict.Age != 16 {
		t.Fatalf("community profile age not used: %+v", r.Verdict)
	}
	req.EventID = "ev3"
	b.Handle(ctx, req) // third allowed
	req.EventID = "ev4"
	r := b.Handle(ctx, req)
	if r.Status != bot.StatusError || r.Error.Code != bot.ProblemRateLimited {
		t.Fatalf("fourth request in a minute: %s %+v, want rate_limited", r.Status, r.Error)
	}
	other := b.Handle(ctx, bot.Request{Platform: "test", EventID: "ev5", UserID: "u2", Community: "g1", Text: "Ballerina 2023"})
	if other.Status != bot.StatusFound {
		t.Errorf("another user is limited too: %s", other.Status)
	}
}

func TestSuggest(t *testing.T) {
	b := fixtureBot(t, bot.Config{})
	tests := []struct {
		prefix string
		want   []string
	}{
		{"bal", []string{"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA"}},
		{"leap", []string{"Ballerina (2016) · film · PG"}},
		{"balerina", []string{"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA"}},
		{"zzzzzz", []string{}},
	}
	for _, tc := range tests {
		got := []string{}
		for _, r := range b.Suggest(context.Background(), tc.prefix, 25) {
			got = append(got, r.Label())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

// TestReloadNeverServesStaleReplies: a data change shows at once after a
// reload, and a failed reload keeps the old answers.
func TestReloadNeverServesStaleReplies(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../testdata/reviews/fixture-meadow-friends.json")
	if err != nil {
		t.Fatal(err)
	}
	path := dir + "/fixture-meadow-friends.json"
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	live, err := catalog.NewLive(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{Catalog: live})
	ask := func() bot.Level {
		r := b.Handle(context.Background(), bot.Request{Text: "is Fixture Meadow Friends ok for my 8 year old?"})
		if r.Verdict == nil {
			t.Fatalf("no verdict: %s", r.Text)
		}
		return r.Verdict.Level
	}
	if got := ask(); got != bot.Safe {
		t.Fatalf("before change: %s, want safe", got)
	}
	changed := strings.Replace(string(src), `"severity": "mild"`, `"severity": "severe"`, 1)
	if changed == string(src) {
		t.Fatal("fixture changed shape; update this test")
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := live.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ask(); got != bot.NotSafe {
		t.Fatalf("after reload: %s, want not_safe", got)
	}
	if err := os.WriteFile(path, []byte(`{"id": broken`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := live.Reload(context.Background()); err == nil {
		t.Fatal("reload of a broken file succeeded")
	}
	if got := ask(); got != bot.NotSafe {
		t.Fatalf("after failed reload: %s, want the previous catalog's not_safe", got)
	}
}

// TestHandleConcurrent: replies given concurrently (run it with -race) are
// the replies given one at a time.
func TestHandleConcurrent(t *testing.T) {
	b := fixtureBot(t, bot.Config{Gate: memory.New()})
	ctx := context.Background()
	// Each sequence is asked in a conversation of its own, so its follow-ups
	// have one right answer whatever runs beside them.
	sequences := [][]string{
		{"Ballerina 2023", "what about the language?", "is it ok for a 17 year old?"},
		{"Leap!", "and the violence?"},
		{"is Fixture Storm Harbor ok for a 14 year old"},
		{"Ballerina"},
		{"balerina 2023", "how much swearing?"},
		{"Nonexistent Picture"},
		{"help"},
	}
	askAll := func(conv string, seq []string) []bot.Reply {
		var out []bot.Reply
		for _, text := range seq {
			out = append(out, b.Handle(ctx, bot.Request{Platform: "t", Conversation: conv, Text: text}))
		}
		return out
	}
	want := make([][]bot.Reply, len(sequences))
	for i, seq := range sequences {
		want[i] = askAll(fmt.Sprint("sequential-", i), seq)
	}
	const rounds = 8
	got := make([][][]bot.Reply, rounds)
	var wg sync.WaitGroup
	for r := range got {
		got[r] = make([][]bot.Reply, len(sequences))
		for i, seq := range sequences {
			wg.Go(func() { got[r][i] = askAll(fmt.Sprint("concurrent-", r, "-", i), seq) })
		}
	}
	wg.Wait()
	for r := range got {
		for i := range sequences {
			if !reflect.DeepEqual(got[r][i], want[i]) {
				t.Errorf("round %d, %q: concurrent replies differ from sequential ones:\n got %+v\nwant %+v", r, sequences[i], got[r][i], want[i])
			}
		}
	}
}

// TestRepeatedQuestion: a text asked again is answered for the asker's age
// (the community's profile may have changed in between), and each answer
// starts a conversation that follow-ups can use.
func TestRepeatedQuestion(t *testing.T) {
	store := memory.New()
	b := fixtureBot(t, bot.Config{Gate: store, Settings: store})
	ctx := context.Background()
	ask := func(conv, text string) bot.Reply {
		return b.Handle(ctx, bot.Request{Platform: "test", Community: "g1", Conversation: conv, Text: text})
	}
	for _, tc := range []struct {
		profileAge int // 0: no change
		conv, text string
		wantID     string
		wantAge    int
	}{
		{0, "a", "Ballerina 2023", "ballerina-2023", 12},
		{0, "b", "Ballerina 2023", "ballerina-2023", 12},
		{0, "b", "what about the language?", "ballerina-2023", 12},
		{16, "c", "Ballerina 2023", "ballerina-2023", 16},
		{0, "c", "Ballerina 2023", "ballerina-2023", 16},
		{5, "d", "Ballerina 2023", "ballerina-2023", 5},
		{0, "d", "and the violence?", "ballerina-2023", 5},
		{0, "e", "can my 14 year old watch Ballerina 2023", "ballerina-2023", 14},
		{0, "e", "can my 14 year old watch Ballerina 2023", "ballerina-2023", 14},
	} {
		if tc.profileAge > 0 {
			if err := b.SetProfile(ctx, "test", "g1", bot.Profile{Age: tc.profileAge}); err != nil {
				t.Fatal(err)
			}
		}
		r := ask(tc.conv, tc.text)
		if r.Status != bot.StatusFound || r.Match.ID != tc.wantID || r.Verdict.Age != tc.wantAge {
			t.Errorf("%s %q: %s %v for age %v; want %s for age %d", tc.conv, tc.text, r.Status, r.Match, r.Verdict, tc.wantID, tc.wantAge)
		}
	}
	for _, text := range []string{"Ballerina", "Ballerina", "Nonexistent Picture", "Nonexistent Picture"} {
		if r := ask("f", text); r.Status == bot.StatusFound {
			t.Errorf("%q: %s, want ambiguous or not found every time", text, r.Status)
		}
	}
}

// TestReloadFreesOldCatalog: once a reload has swapped the catalog, nothing
// in the bot keeps the old one alive, whatever it answered from it.
func TestReloadFreesOldCatalog(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ballerina-2016.json", "ballerina-2023.json", "fixture-meadow-friends.json"} {
		src, err := os.ReadFile("../testdata/reviews/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+name, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	live, err := catalog.NewLive(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	b := bot.New(bot.Config{Catalog: live, Gate: store, Settings: store, Cache: store, Limits: bot.DefaultLimits()})
	ctx := context.Background()
	// Every kind of answer, each asked twice.
	for range 2 {
		for _, req := range []bot.Request{
			{Text: "Ballerina 2023"}, {Text: "how much swearing is in Ballerina 2016?"}, {Text: "Ballerina"},
			{Text: "Nonexistent Picture"}, {Text: "fixture medow friends"}, {Options: &bot.Options{ID: "ballerina-2023", Age: 9}},
			{Text: "Ballerina 2023", Conversation: "c"}, {Text: "what about the violence?", Conversation: "c"},
		} {
			req.Platform = "test"
			b.Handle(ctx, req)
		}
		b.Suggest(ctx, "bal", 5)
	}
	old := weak.Make(live.Current())
	if err := os.Remove(dir + "/fixture-meadow-friends.json"); err != nil {
		t.Fatal(err)
	}
	if err := live.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	if old.Value() != nil {
		t.Fatal("the old catalog is still reachable after a reload")
	}
	if r := b.Handle(ctx, bot.Request{Platform: "test", Text: "Ballerina 2023"}); r.Status != bot.StatusFound {
		t.Fatalf("after the reload: %s", r.Status)
	}
}
