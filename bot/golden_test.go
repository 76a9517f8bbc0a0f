package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"advisorybot/bot"
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
			checkGolden(t, filepath.Join("testdata", "golden", tc.name+".json"), append(got, '\n'))
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run go test -update if the change is intended\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
