package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"advisorybot/bot"
)

// Chat runs an interactive session: one answer per line, "help" and "quit",
// follow-ups about the title just discussed, and numbered picks after a
// disambiguation list. It ends on "quit", at the end of the input (Ctrl-D)
// and when ctx ends (Ctrl-C, SIGTERM), saying goodbye each time.
//
// Lines are read on their own goroutine, since a read from a terminal cannot
// be interrupted: when ctx ends first, Chat returns at once and that
// goroutine ends with the next line or the process.
func Chat(ctx context.Context, b *bot.Bot, in io.Reader, out io.Writer) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-stop:
				return
			}
		}
		readErr <- sc.Err()
	}()

	fmt.Fprintln(out, "advisorybot — ask about a film or show (help for examples, quit to leave).")
	var choices []bot.TitleRef
	var lastQuery bot.Query
	for {
		fmt.Fprint(out, "> ")
		var line string
		select {
		case <-ctx.Done():
			fmt.Fprintln(out, "\nBye.")
			return nil
		case err := <-readErr:
			if err != nil {
				return fmt.Errorf("reading input: %w", err)
			}
			fmt.Fprintln(out, "\nBye.")
			return nil
		case line = <-lines:
		}
		line = strings.TrimSpace(line)
		switch strings.ToLower(line) {
		case "quit", "exit", "bye", "q":
			fmt.Fprintln(out, "Bye.")
			return nil
		}
		req := bot.Request{Platform: "console", Kind: bot.KindText, Text: line, Conversation: "console"}
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
			req.Options = &bot.Options{ID: choices[n-1].ID, Title: choices[n-1].Title}
			if lastQuery.Age != nil {
				req.Options.Age = *lastQuery.Age
			}
			if lastQuery.Topic != nil {
				req.Options.Topic = *lastQuery.Topic
			}
		}
		r := b.Handle(ctx, req)
		if ctx.Err() != nil {
			// Interrupted while answering: the answer may be an error
			// caused by the interruption itself, so say goodbye instead.
			fmt.Fprintln(out, "\nBye.")
			return nil
		}
		choices = nil
		if r.Status == bot.StatusAmbiguous {
			choices, lastQuery = r.Candidates, r.Query
		}
		if err := Render(out, r); err != nil {
			return fmt.Errorf("writing reply: %w", err)
		}
		if r.Status == bot.StatusHelp {
			fmt.Fprintln(out, "\nType quit to leave.")
		}
		fmt.Fprintln(out)
	}
}
