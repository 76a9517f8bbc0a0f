package bot_test

import (
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"

	"advisorybot/bot"
	"advisorybot/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// goldenCases are the replies whose JSON is pinned; adapters pin their own renderings.
var goldenCases = []struct {
	name string
	text string
}{
	{"found", "is Ballerina 2023 family-safe?"},
	{"family_check_age", "can my 8 year old watch Ballerina (2023)?"},
	{"topic", "how much swearing is in Ballerina 2023"},
	{"ambiguous", "Ballerina"},
	{"not_found", "is Frozen ok for kids?"},
	{"not_found_suggestions", "Fixture Meadow"},
	{"fixture_safe", "can my 8 year old watch Fixture Meadow Friends?"},
	{"help", ""},
	{"no_title", "what about the language?"},
}

func TestGoldenJSON(t *testing.T) {
	b := fixtureBot(t, bot.Config{})
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			r := b.Handle(context.Background(), bot.Request{Text: tc.text})
			got, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".json"), append(got, '\n'), *update)
		})
	}
}
