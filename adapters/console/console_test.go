package console_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"testing/synctest"

	"advisorybot/adapters/console"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/golden"
	"advisorybot/internal/replyview"
	"advisorybot/internal/replyview/replytest"
	"advisorybot/internal/syncbuf"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

func fixtureBot(t *testing.T) *bot.Bot {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	return bot.New(bot.Config{Catalog: live, Gate: store})
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

// TestRenderGoldenHandBuilt pins answers the fixture catalog cannot give:
// certifications from TMDB, lists mixing curated and TMDB titles, notes
// and TMDB's notice.
func TestRenderGoldenHandBuilt(t *testing.T) {
	cases := replytest.Cases()
	// A curated answer that says which same-name title it is about, with
	// the notice TMDB's terms ask for.
	notes := fixtureBot(t).Handle(context.Background(), bot.Request{Text: "Ballerina 2023"})
	notes.Notes = []string{"Ballerina (2023), the Netflix film: other films or shows may share this name; add a year if you mean another."}
	notes.Notice = bot.TMDBNotice
	cases = append(cases, replytest.Case{Name: "curated_notes", Reply: notes})
	help := fixtureBot(t).Handle(context.Background(), bot.Request{Text: "help"})
	help.Notice = bot.TMDBNotice
	cases = append(cases, replytest.Case{Name: "help_notice", Reply: help})
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := console.Render(&buf, tc.Reply); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.Name+".txt"), buf.Bytes(), *update)
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
		"2. Ballerina (2023) · film · TV-MA",
		"Ballerina (2023) · film · TV-MA\nAn ex-bodyguard", // the numbered pick answered
		"Language: severe\n  The script contains",          // follow-up answered on language first
		"Not suitable for a 17-year-old",
		"Bye.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("session output lacks %q", want)
		}
	}
	if strings.Contains(s, "Ballerina (2016) · film · PG\nTEST FIXTURE") {
		t.Error("input after quit was answered")
	}
}

// TestChatEndsWithContext: Ctrl-C or SIGTERM (the context ending) ends a
// session waiting for input that never comes, with a goodbye on its own line.
func TestChatEndsWithContext(t *testing.T) {
	b := fixtureBot(t)
	synctest.Test(t, func(t *testing.T) {
		in, typing := io.Pipe() // a terminal nobody types into any more
		defer typing.Close()
		ctx, cancel := context.WithCancel(context.Background())
		out := &syncbuf.Buffer{}
		ended := make(chan error, 1)
		go func() { ended <- console.Chat(ctx, b, in, out) }()

		if _, err := io.WriteString(typing, "Ballerina 2023\n"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if !strings.Contains(out.String(), "Ballerina (2023) · film · TV-MA") {
			t.Fatalf("the question before Ctrl-C was not answered:\n%s", out)
		}
		select {
		case err := <-ended:
			t.Fatalf("Chat ended (%v) before Ctrl-C", err)
		default:
		}

		cancel()
		synctest.Wait()
		select {
		case err := <-ended:
			if err != nil {
				t.Errorf("Chat = %v, want nil: Ctrl-C is a normal way to leave", err)
			}
		default:
			t.Fatal("Chat still waits for input after the context ended")
		}
		if !strings.HasSuffix(out.String(), "\n> \nBye.\n") {
			t.Errorf("session does not end with a goodbye on its own line:\n%q", out)
		}
	})
}

func TestChatEndOfInput(t *testing.T) {
	b := fixtureBot(t)
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"after a question", "Ballerina 2023\n"},
		{"last line without newline", "Ballerina 2023"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := console.Chat(context.Background(), b, strings.NewReader(tc.in), &out); err != nil {
				t.Fatalf("Chat at end of input = %v, want nil (Ctrl-D leaves)", err)
			}
			if !strings.HasSuffix(out.String(), "> \nBye.\n") {
				t.Errorf("output does not end with a goodbye on its own line:\n%q", out.String())
			}
			if tc.in != "" && !strings.Contains(out.String(), "Ballerina (2023) · film · TV-MA") {
				t.Errorf("the last line was not answered:\n%s", out.String())
			}
		})
	}
}

func TestChatReadError(t *testing.T) {
	broken := errors.New("terminal gone")
	in := io.MultiReader(strings.NewReader("Ballerina 2023\n"), iotest.ErrReader(broken))
	var out bytes.Buffer
	err := console.Chat(context.Background(), fixtureBot(t), in, &out)
	if !errors.Is(err, broken) || !strings.Contains(err.Error(), "reading input") {
		t.Fatalf("Chat = %v, want the read error, wrapped", err)
	}
}

// TestRenderRules: what users see names its source and never a file of
// the repository, never shows curators' notes, lists a category once,
// answers a topic question with that topic first, and shows every note
// and the data provider's notice.
func TestRenderRules(t *testing.T) {
	b := fixtureBot(t)
	ctx := context.Background()
	var replies []bot.Reply
	for _, q := range []string{"is Ballerina 2023 family-safe?", "can my 8 year old watch Ballerina 2023", "is Ballerina 2023 ok for a 17 year old",
		"how much swearing is in Ballerina 2023", "Fixture Meadow Friends", "Ballerina 2016", "is Fixture Storm Harbor ok for my 9 year old"} {
		replies = append(replies, b.Handle(ctx, bot.Request{Text: q}))
	}
	for _, c := range replytest.Cases() {
		replies = append(replies, c.Reply)
	}
	for _, r := range replies {
		var buf bytes.Buffer
		if err := console.Render(&buf, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		name := r.Query.Title
		for _, n := range r.Notes {
			if !strings.Contains(out, n) {
				t.Errorf("%s: note %q not shown", name, n)
			}
		}
		if r.Notice != "" && !strings.HasSuffix(out, r.Notice+"\n") {
			t.Errorf("%s: notice not shown last:\n%s", name, out)
		}
		if r.Status != bot.StatusFound {
			continue
		}
		a := r.Advisory
		if ref := a.Source.Reference; ref != "" && !strings.HasPrefix(ref, "https://") && strings.Contains(out, ref) {
			t.Errorf("%s: shows the file path %q", name, ref)
		}
		if !strings.Contains(out, "Source: "+a.Source.Name) {
			t.Errorf("%s: source not named:\n%s", name, out)
		}
		if a.Rating.Note != "" && strings.Contains(out, a.Rating.Note) {
			t.Errorf("%s: shows the curators' note %q", name, a.Rating.Note)
		}
		for _, l := range a.Lines {
			if n := strings.Count(out, l.Label+":"); n > 1 {
				t.Errorf("%s: %q listed %d times:\n%s", name, l.Label, n, out)
			}
		}
		if r.Focus != nil {
			l := a.Lines[0]
			if want := r.Match.Label() + "\n\n" + l.Label + ": " + l.Severity + "\n"; !strings.HasPrefix(out, want) {
				t.Errorf("%s: topic answer does not lead with %q:\n%s", name, want, out)
			}
			if strings.Contains(out, "in it:") {
				t.Errorf("%s: topic answer repeats the whole advisory:\n%s", name, out)
			}
		}
		if r.Verdict.Evidence == bot.EvidenceRating && r.Focus == nil && !strings.Contains(out, replyview.CertificationOnly) {
			t.Errorf("%s: a certification answer does not say it is one:\n%s", name, out)
		}
	}
}

// TestRenderControlCharacters: a title from outside cannot drive the terminal.
func TestRenderControlCharacters(t *testing.T) {
	r := replytest.Ambiguous()
	r.Candidates[1].Title = "Evil\x1b]0;pwned\x07\x1b[2J\u009b31m"
	var buf bytes.Buffer
	if err := console.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07\u009b") {
		t.Errorf("control characters reach the terminal: %q", buf.String())
	}
}
