package console_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"advisorybot/adapters/console"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

func fixtureBot(t *testing.T) *bot.Bot {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	return bot.New(bot.Config{Catalog: live, Conversations: store})
}

func TestRenderGolden(t *testing.T) {
	b := fixtureBot(t)
	tests := []struct{ name, text string }{
		{"found", "is Ballerina 2023 family-safe?"},
		{"family_check_age", "can my 8 year old watch Ballerina (2023)?"},
		{"topic", "how much swearing is in Ballerina 2023"},
		{"ambiguous", "Ballerina"},
		{"not_found", "is Frozen ok for kids?"},
		{"fixture_safe", "can my 8 year old watch Fixture Meadow Friends?"},
		{"help", "help"},
		{"no_title", "what about the language?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := console.Render(&buf, b.Handle(context.Background(), bot.Request{Text: tc.text})); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".txt"), buf.Bytes(), *update)
		})
	}
}

func TestChatSession(t *testing.T) {
	b := fixtureBot(t)
	in := strings.NewReader("help\nBallerina\n2\nwhat about the language?\nis it ok for a 17 year old?\nquit\nBallerina 2016\n")
	var out bytes.Buffer
	if err := console.Chat(context.Background(), b, in, &out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "chat_session.txt"), out.Bytes(), *update)
	s := out.String()
	for _, want := range []string{
		"Several titles match \"Ballerina\"",
		"2. Ballerina (2023) · TV-MA",
		"Ballerina (2023) · TV-MA\nAn ex-bodyguard", // the numbered pick answered
		"Language: severe\n  The script contains",   // follow-up answered on language first
		"Not suitable for a 17-year-old",
		"Bye.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("session output lacks %q", want)
		}
	}
	if strings.Contains(s, "Ballerina (2016) · PG\nTEST FIXTURE") {
		t.Error("input after quit was answered")
	}
}
