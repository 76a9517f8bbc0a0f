package bot_test

import (
	"context"
	"testing"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/data"
)

// BenchmarkAsk is the whole ask path for a curated title: parse, search,
// verdict and reply, on the embedded catalog with in-memory state.
func BenchmarkAsk(b *testing.B) {
	live, err := catalog.NewLive(data.Reviews())
	if err != nil {
		b.Fatal(err)
	}
	store := memory.New()
	bt := bot.New(bot.Config{Catalog: live, Gate: store, Settings: store})
	ctx := context.Background()
	texts := []struct{ name, text string }{
		{"title", "Ballerina"},
		{"family_check", "can my 12 year old watch Ballerina (2023)?"},
		{"topic", "how much swearing is in Ballerina"},
		{"typo", "is balerina family-safe?"},
	}
	for _, bc := range texts {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			req := bot.Request{Platform: "bench", Text: bc.text, Conversation: "c1"}
			for b.Loop() {
				if r := bt.Handle(ctx, req); r.Status != bot.StatusFound {
					b.Fatalf("status %s", r.Status)
				}
			}
		})
	}
}
