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
// disambiguation list.
func Chat(ctx context.Context, b *bot.Bot, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	fmt.Fprintln(out, "advisorybot — ask about a film or show (help for examples, quit to leave).")
	var choices []bot.TitleRef
	var lastQuery bot.Query
	for {
		fmt.Fprint(out, "> ")
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
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
		choices = nil
		if r.Status == bot.StatusAmbiguous {
			choices, lastQuery = r.Candidates, r.Query
		}
		if err := Render(out, r); err != nil {
			return fmt.Errorf("writing reply: %w", err)
		}
		fmt.Fprintln(out)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	return nil
}
