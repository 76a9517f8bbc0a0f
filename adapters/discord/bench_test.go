package discord

import (
	"bytes"
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
)

// BenchmarkInteraction is the HTTP interactions path in process: timestamp
// and signature check, decode, bot, render, response. Each op is one
// request to ServeHTTP, a fresh interaction signed (untimed) as Discord
// signs it, so no op is a replay. ed25519_verify is the signature check
// alone, which every endpoint pays.
func BenchmarkInteraction(b *testing.B) {
	pub, priv := testKey()
	h, err := NewHTTPHandler(hexKey(pub), newTestHandler(b, fixtureBot(b), nil), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ed25519_verify", func(b *testing.B) {
		body, err := os.ReadFile("testdata/interactions/command_realistic.json")
		if err != nil {
			b.Fatal(err)
		}
		msg := append([]byte(strconv.FormatInt(time.Now().Unix(), 10)), bytes.TrimSpace(body)...)
		sig := ed25519.Sign(priv, msg)
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("bad signature")
			}
		}
	})
	cases := []struct{ name, file string }{
		{"full/autocompleted_title", "command_realistic.json"},
		{"full/typed_title", "command_found.json"},
		{"full/autocomplete", "autocomplete.json"},
		{"full/button_pick", "button_pick.json"},
	}
	for _, bc := range cases {
		body, err := os.ReadFile("testdata/interactions/" + bc.file)
		if err != nil {
			b.Fatal(err)
		}
		deliveries, err := discordtest.NewDeliveries(priv, bytes.TrimSpace(body))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				_, body, hdr := deliveries.Next()
				req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
				req.Header = hdr
				rec := httptest.NewRecorder()
				b.StartTimer()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
