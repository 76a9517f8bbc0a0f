package slack

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/slack-go/slack"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// TestCommandBodyMemo: a memoised answer is byte for byte the answer
// rendered afresh, whatever was asked before it (ages, topics, titles that
// share a text).
func TestCommandBodyMemo(t *testing.T) {
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	b := bot.New(bot.Config{Catalog: live, Conversations: st, Settings: st})
	a, err := New(Config{Bot: b})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"Ballerina 2023", "can my 10 year old watch Ballerina 2023", "how much swearing is in Ballerina 2023",
		"Ballerina", "is Ballerina ok for my 10 year old", "is Ballerina ok for my 8 year old", "how violent is Ballerina",
		"help", "what about the violence?", "Frozen", "is Frozen ok for my 10 year old", "Fixture Meadow Friends",
	}
	cached := 0
	for round := range 3 {
		for _, text := range texts {
			r := b.Handle(context.Background(), bot.Request{Platform: Platform, Kind: bot.KindCommand, Text: text})
			got := a.commandBody(r).body
			want, err := marshal(response{ResponseType: slack.ResponseTypeEphemeral, Message: Render(r, View{Ephemeral: true})})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("round %d, %q: memoised answer differs\n got %s\nwant %s", round, text, got, want)
			}
			if _, ok := renderKeyOf(r, View{Ephemeral: true}); ok && round == 0 {
				cached++
			}
		}
	}
	if cached < len(texts)-2 {
		t.Errorf("only %d of %d answers are memoised", cached, len(texts))
	}
}

func TestSpelledOutDistinct(t *testing.T) {
	ten, eight := 10, 8
	replies := []bot.Reply{
		{Status: bot.StatusAmbiguous, Text: "x", Query: bot.Query{Title: "Ballerina", Age: &ten}},
		{Status: bot.StatusAmbiguous, Text: "x", Query: bot.Query{Title: "Ballerina", Age: &eight}},
		{Status: bot.StatusAmbiguous, Text: "x", Query: bot.Query{Title: "Ballerina"}},
		{Status: bot.StatusAmbiguous, Text: "x", Query: bot.Query{Title: "Ballerina"}, Candidates: []bot.TitleRef{{ID: "a"}}},
		{Status: bot.StatusAmbiguous, Text: "x", Query: bot.Query{Title: "Ballerina"}, Candidates: []bot.TitleRef{{ID: "b"}}},
		{Status: bot.StatusAmbiguous, Text: "x1:", Query: bot.Query{Title: "Ballerina"}},
		{Status: bot.StatusError, Text: "x", Error: &bot.Problem{Message: "a", Next: "b"}},
		{Status: bot.StatusError, Text: "x", Error: &bot.Problem{Message: "ab", Next: ""}},
	}
	seen := map[string]int{}
	for i, r := range replies {
		k := spelledOut(r)
		if j, ok := seen[k]; ok {
			t.Errorf("replies %d and %d spell the same: %q", j, i, k)
		}
		seen[k] = i
	}
}
