package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"advisorybot/adapters/discord"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// TestLoadgen drives the real endpoint (de-duplication and rate limits on,
// as serve wires them) over loopback: every request is a fresh, validly
// signed interaction, so all of them are answered, none as a replay.
func TestLoadgen(t *testing.T) {
	live, err := catalog.NewLive(os.DirFS("../../../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	b := bot.New(bot.Config{Catalog: live, Gate: st, Settings: st,
		Limits: bot.Limits{UserPerMinute: 1 << 30, CommunityPerMinute: 1 << 30}})
	h, err := discord.NewHandler(discord.Config{Bot: b, Sender: noSender{}})
	if err != nil {
		t.Fatal(err)
	}
	pub := testKey().Public().(ed25519.PublicKey)
	endpoint, err := discord.NewHTTPHandler(hex.EncodeToString(pub), h, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(endpoint)
	defer srv.Close()
	var out strings.Builder
	err = run(context.Background(), []string{"-body", "../../testdata/interactions/command_realistic.json", "-c", "4", "-n", "200", srv.URL}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`RESULT requests=200 rps=\S+ p50_ms=\S+ p99_ms=\S+ non2xx=0 errors=0\n`).MatchString(out.String()) {
		t.Errorf("want 200 requests, all answered:\n%s", out.String())
	}
}

type noSender struct{}

func (noSender) EditOriginal(context.Context, string, string, *discordgo.InteractionResponseData) error {
	return nil
}
