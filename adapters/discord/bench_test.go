package discord

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
)

// BenchmarkInteraction is the HTTP interactions path in process: signature
// check, decode, bot, render, response; beside the verify-only baseline.
// Each op is one signed request to ServeHTTP.
func BenchmarkInteraction(b *testing.B) {
	pub, priv := testKey()
	h, err := NewHTTPHandler(hexKey(pub), newTestHandler(b, fixtureBot(b), nil), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, file string
		handler    http.Handler
	}{
		{"verify_only", "command_realistic.json", h.VerifyOnly()},
		{"full/autocompleted_title", "command_realistic.json", h},
		{"full/typed_title", "command_found.json", h},
		{"full/autocomplete", "autocomplete.json", h},
		{"full/button_pick", "button_pick.json", h},
	}
	for _, bc := range cases {
		body, err := os.ReadFile("testdata/interactions/" + bc.file)
		if err != nil {
			b.Fatal(err)
		}
		body = bytes.TrimSpace(body)
		hdr := discordtest.Sign(priv, strconv.FormatInt(time.Now().Unix(), 10), body)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			rd := bytes.NewReader(body)
			req := httptest.NewRequest(http.MethodPost, "/discord/interactions", io.NopCloser(rd))
			req.Header = hdr
			for b.Loop() {
				rd.Reset(body)
				rec := httptest.NewRecorder()
				bc.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
