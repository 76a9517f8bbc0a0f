package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/bot"
	"advisorybot/internal/golden"
	"advisorybot/internal/replyview"
	"advisorybot/internal/replyview/replytest"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// TestRenderGolden pins the Block Kit JSON of each kind of reply, rendered
// from the real bot's answers on the test reviews.
func TestRenderGolden(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		name string
		text string
		view slackadapter.View
		want bot.Status
	}{
		{"found", "Ballerina 2023", slackadapter.View{Ephemeral: true}, bot.StatusFound},
		{"found_details", "Ballerina 2023", slackadapter.View{Ephemeral: true, Details: true}, bot.StatusFound},
		{"found_in_channel", "is Ballerina 2023 ok for my 10 year old", slackadapter.View{}, bot.StatusFound},
		{"fixture_safe", "Fixture Meadow Friends", slackadapter.View{Ephemeral: true}, bot.StatusFound},
		{"ambiguous", "is Ballerina ok for my 10 year old", slackadapter.View{Ephemeral: true}, bot.StatusAmbiguous},
		{"not_found", "is Frozen ok for kids?", slackadapter.View{Ephemeral: true}, bot.StatusNotFound},
		{"topic", "how much swearing is in Ballerina 2023", slackadapter.View{Ephemeral: true}, bot.StatusFound},
		{"help", "help", slackadapter.View{Ephemeral: true}, bot.StatusHelp},
		{"no_title", "what about the violence?", slackadapter.View{Ephemeral: true}, bot.StatusError},
		// Links in what the user typed are broken by zero-width spaces.
		{"user_text_links", "is [Free Nitro](https://evil.example) <https://evil.example|click> www.evil.example a@evil.example ok for my 10 year old",
			slackadapter.View{Ephemeral: true}, bot.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.Handle(context.Background(), bot.Request{Platform: "test", Kind: bot.KindCommand, Text: tc.text})
			if r.Status != tc.want {
				t.Fatalf("%q: status %s, want %s", tc.text, r.Status, tc.want)
			}
			checkGoldenMessage(t, tc.name, slackadapter.Render(r, tc.view))
		})
	}
	for _, tc := range handBuilt(t) {
		t.Run(tc.Name, func(t *testing.T) {
			checkGoldenMessage(t, tc.Name, slackadapter.Render(tc.Reply, slackadapter.View{Ephemeral: true}))
		})
	}
	t.Run("curated_notes_details", func(t *testing.T) {
		r := handBuilt(t)[len(handBuilt(t))-2].Reply
		checkGoldenMessage(t, "curated_notes_details", slackadapter.Render(r, slackadapter.View{Details: true}))
	})
}

func checkGoldenMessage(t *testing.T, name string, m slackadapter.Message) {
	t.Helper()
	checkBlocks(t, m)
	got, err := json.MarshalIndent(map[string]any{"text": m.Text, "blocks": m.Blocks}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// Zero-width spaces are written as JSON escapes, to be seen.
	got = bytes.ReplaceAll(got, []byte("\u200b"), []byte(`\u200b`))
	golden.Check(t, filepath.Join("testdata", "golden", name+".json"), append(got, '\n'), *update)
}

// handBuilt are the replies the fixture catalog cannot give, then a curated
// answer and help with notes and TMDB's notice.
func handBuilt(t *testing.T) []replytest.Case {
	t.Helper()
	b := newBot(t)
	cases := replytest.Cases()
	notes := b.Handle(context.Background(), bot.Request{Platform: "test", Options: &bot.Options{ID: "ballerina-2023"}})
	notes.Notes = []string{"Ballerina (2023), the Netflix film: other films or shows may share this name; add a year if you mean another."}
	notes.Notice = bot.TMDBNotice
	help := b.Handle(context.Background(), bot.Request{Platform: "test", Text: "help"})
	help.Notice = bot.TMDBNotice
	return append(cases, replytest.Case{Name: "curated_notes", Reply: notes}, replytest.Case{Name: "help_notice", Reply: help})
}

// checkBlocks enforces Slack's Block Kit limits and that the blocks decode
// back through slack-go (what Slack would receive).
func checkBlocks(t *testing.T, m slackadapter.Message) {
	t.Helper()
	if m.Text == "" || len(m.Blocks) == 0 || len(m.Blocks) > 50 {
		t.Fatalf("message has text %q and %d blocks", m.Text, len(m.Blocks))
	}
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var back slack.Blocks
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("blocks do not decode: %v", err)
	}
	ids := map[string]bool{}
	for _, blk := range m.Blocks {
		switch b := blk.(type) {
		case *slack.HeaderBlock:
			if n := len([]rune(b.Text.Text)); n > 150 {
				t.Errorf("header of %d characters", n)
			}
		case *slack.SectionBlock:
			if n := len([]rune(b.Text.Text)); n > 3000 {
				t.Errorf("section of %d characters", n)
			}
		case *slack.ActionBlock:
			for _, el := range b.Elements.ElementSet {
				btn, ok := el.(*slack.ButtonBlockElement)
				if !ok {
					continue
				}
				if ids[btn.ActionID] {
					t.Errorf("action id %s repeated", btn.ActionID)
				}
				ids[btn.ActionID] = true
				if n := len([]rune(btn.Text.Text)); n > 75 {
					t.Errorf("button text of %d characters", n)
				}
				if _, err := slackadapter.DecodeChoice(btn.Value); err != nil {
					t.Errorf("button %s: %v", btn.ActionID, err)
				}
			}
		}
	}
}

// TestRenderAmbiguousButtons: one pick button per candidate, labelled as
// the bot labels titles, carrying the age asked.
func TestRenderAmbiguousButtons(t *testing.T) {
	r := newBot(t).Handle(context.Background(), bot.Request{Platform: "test", Text: "is Ballerina ok for my 10 year old"})
	m := slackadapter.Render(r, slackadapter.View{Ephemeral: true})
	var labels, values []string
	for _, blk := range m.Blocks {
		if ab, ok := blk.(*slack.ActionBlock); ok {
			for _, el := range ab.Elements.ElementSet {
				btn := el.(*slack.ButtonBlockElement)
				if !strings.HasPrefix(btn.ActionID, slackadapter.ActionPick) {
					t.Errorf("unexpected action %s", btn.ActionID)
				}
				labels = append(labels, btn.Text.Text)
				values = append(values, btn.Value)
			}
		}
	}
	wantLabels := []string{"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA"}
	wantValues := []string{"id=ballerina-2016&age=10", "id=ballerina-2023&age=10"}
	if strings.Join(labels, "|") != strings.Join(wantLabels, "|") || strings.Join(values, "|") != strings.Join(wantValues, "|") {
		t.Errorf("buttons %q %q, want %q %q", labels, values, wantLabels, wantValues)
	}
}

// TestEscapeUserText: whatever the user typed, echoed text cannot become a
// Slack control sequence (<!channel>, <@U…>, <url|text>) or a link Slack
// makes itself (a URL, a domain, an e-mail address, a masked link's URL).
func TestEscapeUserText(t *testing.T) {
	year := 2024
	tests := []struct {
		name  string
		reply bot.Reply
	}{
		{"not found title", bot.Reply{Status: bot.StatusNotFound, Query: bot.Query{Title: "<!channel> & <@U123>"},
			Verdict: &bot.Verdict{Level: bot.Unknown, Age: 12}, Text: `I don't have a review of "<!channel> & <@U123>" yet.`}},
		{"not found with year", bot.Reply{Status: bot.StatusNotFound, Query: bot.Query{Title: "<!here>", Year: &year}, Text: "<!here>"}},
		{"ambiguous title", bot.Reply{Status: bot.StatusAmbiguous, Query: bot.Query{Title: "<https://evil.example|click>"},
			Candidates: []bot.TitleRef{{ID: "x", Title: "<!everyone>", Year: 2000}}, Text: "Several titles match <!everyone>"}},
		{"error", bot.Reply{Status: bot.StatusError, Error: &bot.Problem{Message: "<!channel>", Next: "<@U1>"}, Text: "<!channel> <@U1>"}},
		{"unknown status", bot.Reply{Status: "weird", Text: "<!subteam^S1>"}},
		{"masked link", bot.Reply{Status: bot.StatusNotFound, Query: bot.Query{Title: "[Free Nitro](https://evil.example/x)"},
			Text: `I don't have a review of "[Free Nitro](https://evil.example/x)" yet.`}},
		{"bare links", bot.Reply{Status: bot.StatusAmbiguous, Query: bot.Query{Title: "www.evil.example http://evil.example evil.example a@evil.example"},
			Candidates: []bot.TitleRef{{ID: "x", Title: "X", Year: 2000}}, Text: "Several titles match www.evil.example http://evil.example evil.example a@evil.example"}},
		{"link in a problem", bot.Reply{Status: bot.StatusError, Error: &bot.Problem{Message: "https://evil.example", Next: "evil.example"}, Text: "https://evil.example evil.example"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := slackadapter.Render(tc.reply, slackadapter.View{Ephemeral: true})
			raw, err := json.Marshal(map[string]any{"text": m.Text, "blocks": m.Blocks})
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			_ = json.Unmarshal(raw, &doc)
			walkStrings(doc, func(key, s string) {
				if key == "value" || key == "action_id" || key == "block_id" {
					return
				}
				if strings.ContainsAny(s, "<>") {
					t.Errorf("%s %q contains an unescaped < or >", key, s)
				}
				if strings.Contains(strings.ReplaceAll(s, "&amp;", ""), "&") && !strings.Contains(s, "&lt;") && !strings.Contains(s, "&gt;") {
					t.Errorf("%s %q contains an unescaped &", key, s)
				}
				for _, link := range []string{"://", "evil.example", "a@evil", "](http"} {
					if strings.Contains(s, link) {
						t.Errorf("%s %q contains %q, which Slack would link", key, s, link)
					}
				}
			})
		})
	}
}

// TestEscapeEndToEnd: text typed in Slack arrives escaped; the title echoed
// back is escaped again and the mention tokens never survive.
func TestEscapeEndToEnd(t *testing.T) {
	r := newBot(t).Handle(context.Background(), bot.Request{Platform: "test", Text: "Tom & Jerry <3"})
	m := slackadapter.Render(r, slackadapter.View{})
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(m.Text, "Tom &amp; Jerry &lt;3") || !strings.Contains(string(raw), `Tom \u0026amp; Jerry \u0026lt;3`) {
		t.Errorf("title not escaped: text %q blocks %s", m.Text, raw)
	}
}

func walkStrings(v any, f func(key, s string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				f(k, s)
			} else {
				walkStrings(e, f)
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				f("", s)
			} else {
				walkStrings(e, f)
			}
		}
	}
}

func TestChoiceRoundTrip(t *testing.T) {
	tests := []struct {
		value string
		want  slackadapter.Choice
		ok    bool
	}{
		{"id=ballerina-2023", slackadapter.Choice{ID: "ballerina-2023"}, true},
		{"id=ballerina-2023&age=10&topic=profanity", slackadapter.Choice{ID: "ballerina-2023", Age: 10, Topic: "profanity"}, true},
		{"age=10", slackadapter.Choice{}, false},
		{"id=x&age=-1", slackadapter.Choice{}, false},
		{"id=x&age=abc", slackadapter.Choice{}, false},
		{"id=%zz", slackadapter.Choice{}, false},
		{"id=" + strings.Repeat("a", 2001), slackadapter.Choice{}, false},
		{"id=tmdb%3Afilm%3A1184918&age=8&topic=violence", slackadapter.Choice{ID: "tmdb:film:1184918", Age: 8, Topic: "violence"}, true},
		{"id=tmdb:show:98765432", slackadapter.Choice{ID: "tmdb:show:98765432"}, true},
	}
	for _, tc := range tests {
		got, err := slackadapter.DecodeChoice(tc.value)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("DecodeChoice(%q) = %+v, %v; want %+v, ok=%v", tc.value, got, err, tc.want, tc.ok)
		}
	}
}

// TestRenderLongText: Slack's per-field limits hold for long catalog text.
func TestRenderLongText(t *testing.T) {
	long := strings.Repeat("é&", 2000)
	v := bot.Verdict{Level: bot.Caution, Age: 12, Reasons: []string{long}}
	r := bot.Reply{Status: bot.StatusFound, Match: &bot.TitleRef{ID: "x", Title: strings.Repeat("T", 200), Year: 2000},
		Verdict: &v, Advisory: &bot.Advisory{Lines: []bot.CategoryLine{{Label: "Violence", Severity: "mild", Note: long}}}, Text: long}
	for _, view := range []slackadapter.View{{}, {Details: true}} {
		checkBlocks(t, slackadapter.Render(r, view))
	}
}

// TestPlainTextEmoji: plain_text asks Slack to render :shortcodes: exactly
// when the text has one; other text leaves the flag out (it changes nothing).
func TestPlainTextEmoji(t *testing.T) {
	r := bot.Reply{Status: bot.StatusAmbiguous, Text: "Which one?", Query: bot.Query{Title: "Star"},
		Candidates: []bot.TitleRef{{ID: "a", Title: "Star Wars: A New Hope", Year: 1977}, {ID: "b", Title: "Star Trek", Year: 1979}}}
	m := slackadapter.Render(r, slackadapter.View{})
	got := map[string]bool{}
	for _, blk := range m.Blocks {
		if ab, ok := blk.(*slack.ActionBlock); ok {
			for _, el := range ab.Elements.ElementSet {
				btn := el.(*slack.ButtonBlockElement)
				got[btn.Text.Text] = btn.Text.Emoji != nil && *btn.Text.Emoji
				if btn.Text.Emoji != nil && !*btn.Text.Emoji {
					t.Errorf("%q sends emoji: false", btn.Text.Text)
				}
			}
		}
	}
	want := map[string]bool{"Star Wars: A New Hope (1977)": true, "Star Trek (1979)": false}
	if len(got) != len(want) {
		t.Fatalf("buttons %v, want %v", got, want)
	}
	for label, emoji := range want {
		if got[label] != emoji {
			t.Errorf("%q: emoji %v, want %v", label, got[label], emoji)
		}
	}
}

// TestRenderAnswerRules: what users see names its source and never a file
// of the repository, never shows curators' notes, lists a category once,
// answers a topic question with that topic first, says when only the
// rating is known, and shows every note and TMDB's notice.
func TestRenderAnswerRules(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	var replies []bot.Reply
	for _, o := range []bot.Options{{ID: "ballerina-2023"}, {ID: "ballerina-2023", Age: 8}, {ID: "ballerina-2023", Age: 17},
		{ID: "ballerina-2023", Topic: "profanity"}, {ID: "ballerina-2016"}, {ID: "fixture-meadow-friends"}, {ID: "fixture-storm-harbor", Age: 9}} {
		replies = append(replies, b.Handle(ctx, bot.Request{Platform: "test", Options: &o}))
	}
	for _, c := range handBuilt(t) {
		replies = append(replies, c.Reply)
	}
	for _, r := range replies {
		for _, view := range []slackadapter.View{{}, {Details: true}} {
			m := slackadapter.Render(r, view)
			texts := blockTexts(t, m)
			all := strings.Join(texts, "\n")
			if r.Notice != "" && texts[len(texts)-1] != r.Notice && !strings.Contains(all, r.Notice) {
				t.Errorf("%s: notice not shown", r.Text)
			}
			for _, n := range r.Notes {
				if !strings.Contains(all, n) {
					t.Errorf("%s: note %q not shown", r.Text, n)
				}
			}
			if r.Status != bot.StatusFound {
				continue
			}
			name := r.Match.Label()
			a := r.Advisory
			if ref := a.Source.Reference; ref != "" && !strings.HasPrefix(ref, "https://") && strings.Contains(all, ref) {
				t.Errorf("%s: shows the file path %q", name, ref)
			}
			if !strings.Contains(all, "Source: ") || !strings.Contains(all, a.Source.Name) {
				t.Errorf("%s: source not named", name)
			}
			if a.Rating.Note != "" && strings.Contains(all, a.Rating.Note) {
				t.Errorf("%s: shows the curators' note", name)
			}
			for _, l := range a.Lines {
				if n := strings.Count(all, slackadapter.Escape(l.Label)+":"); n > 1 {
					t.Errorf("%s (details %v): %q listed %d times:\n%s", name, view.Details, l.Label, n, all)
				}
			}
			if r.Focus != nil {
				l := a.Lines[0]
				if want := "*" + slackadapter.Escape(l.Label) + ": " + l.Severity + "*"; !strings.HasPrefix(texts[1], want) {
					t.Errorf("%s: topic answer does not lead with %q: %q", name, want, texts[1])
				}
			}
			if r.Verdict.Evidence == bot.EvidenceRating {
				if r.Focus == nil && !strings.Contains(all, replyview.CertificationOnly) {
					t.Errorf("%s: a certification answer does not say it is one", name)
				}
				if !strings.Contains(all, "<https://www.themoviedb.org/") {
					t.Errorf("%s: no link to the source", name)
				}
			}
		}
	}
}

// blockTexts are the texts of a message's blocks, in order (a context's
// elements joined).
func blockTexts(t *testing.T, m slackadapter.Message) []string {
	t.Helper()
	var out []string
	for _, blk := range m.Blocks {
		switch b := blk.(type) {
		case *slack.HeaderBlock:
			out = append(out, b.Text.Text)
		case *slack.SectionBlock:
			out = append(out, b.Text.Text)
		case *slack.ContextBlock:
			var parts []string
			for _, el := range b.ContextElements.Elements {
				if tb, ok := el.(*slack.TextBlockObject); ok {
					parts = append(parts, tb.Text)
				}
			}
			out = append(out, strings.Join(parts, " "))
		}
	}
	return out
}

// TestOutsideTextNeverLinks: titles, descriptors and notes from TMDB are
// outside text: like what users type, they never become a link or a ping.
// Only the bot's own link to its source is a link.
func TestOutsideTextNeverLinks(t *testing.T) {
	for _, hostile := range []string{"<!channel>", "[Free Nitro](https://evil.example)", "www.evil.example", "a@evil.example", "<https://evil.example|click>"} {
		cert := replytest.Certification(replytest.CertSpec{Title: hostile, Year: 2020, Kind: bot.MediaFilm, TMDBID: 1, Age: 12,
			System: "MPAA", Value: "R", Country: "US", Descriptors: []string{hostile}, Release: "theatrical release (" + hostile + ")", Notes: []string{hostile}})
		amb := replytest.Ambiguous()
		amb.Candidates[1].Title = hostile
		for _, r := range []bot.Reply{cert, amb} {
			m := slackadapter.Render(r, slackadapter.View{Ephemeral: true})
			raw, err := json.Marshal(map[string]any{"text": m.Text, "blocks": m.Blocks})
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			_ = json.Unmarshal(raw, &doc)
			walkStrings(doc, func(key, s string) {
				if key == "value" || key == "action_id" || key == "block_id" {
					return
				}
				s = strings.ReplaceAll(s, "<https://www.themoviedb.org/movie/1|TMDB>", "")
				if strings.ContainsAny(s, "<>") {
					t.Errorf("%s %q contains an unescaped < or >", key, s)
				}
				for _, link := range []string{"://", "evil.example", "a@evil", "](http"} {
					if strings.Contains(s, link) {
						t.Errorf("%s %q contains %q, which Slack would link", key, s, link)
					}
				}
			})
		}
	}
}

// TestPickRoundTrip: every pick button rendered for a list mixing review
// ids and TMDB ids comes back, through the interactivity endpoint, as the
// bot's Options.ID, with the age asked.
func TestPickRoundTrip(t *testing.T) {
	r := replytest.Ambiguous()
	m := slackadapter.Render(r, slackadapter.View{Ephemeral: true})
	var buttons []*slack.ButtonBlockElement
	for _, blk := range m.Blocks {
		if ab, ok := blk.(*slack.ActionBlock); ok {
			for _, el := range ab.Elements.ElementSet {
				buttons = append(buttons, el.(*slack.ButtonBlockElement))
			}
		}
	}
	if len(buttons) != len(r.Candidates) {
		t.Fatalf("%d buttons for %d candidates", len(buttons), len(r.Candidates))
	}
	for i, btn := range buttons {
		h := newHarnessFor(t, cannedBot(replytest.Cases()[0].Reply), slackadapter.Config{})
		rec := httptest.NewRecorder()
		h.a.Interactions().ServeHTTP(rec, signed("/slack/interactions", formType, clickBody(btn.ActionID, btn.Value, h.api.ResponseURL("r1"), true)))
		if rec.Code != http.StatusOK {
			t.Fatalf("ack %d %q", rec.Code, rec.Body)
		}
		if _, _, err := h.api.WaitCall(ctxTimeout(t), 0, func(slacktestws.Call) bool { return true }); err != nil {
			t.Fatal(err)
		}
		h.stop()
		req := h.bot.last.Load()
		if want := r.Candidates[i].ID; req == nil || req.Options == nil || req.Options.ID != want || req.Options.Age != 8 {
			t.Errorf("button %s %q reached the bot as %+v, want ID %q, age 8", btn.ActionID, btn.Value, req, want)
		}
	}
}
