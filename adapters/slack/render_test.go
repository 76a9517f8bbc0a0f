package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
	"advisorybot/internal/golden"
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
			m := slackadapter.Render(r, tc.view)
			checkBlocks(t, m)
			got, err := json.MarshalIndent(map[string]any{"text": m.Text, "blocks": m.Blocks}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			// Zero-width spaces are written as JSON escapes, to be seen.
			got = bytes.ReplaceAll(got, []byte("\u200b"), []byte(`\u200b`))
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".json"), append(got, '\n'), *update)
		})
	}
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
