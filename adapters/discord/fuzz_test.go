package discord

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// FuzzInteraction feeds arbitrary payloads through decoding and handling,
// signed so they get past verification: nothing may panic, undecodable
// input is a 400, only a command or component can be a replay (409, its id
// already answered), and every answer is a JSON interaction response whose
// messages carry an empty allowed_mentions and no link.
func FuzzInteraction(f *testing.F) {
	addInteractionSeeds(f)
	for _, s := range []string{`{"type":1}`, `{"type":2,"id":"1","token":"t","data":{"name":"advisory","options":[{"name":"title","value":1e400}]}}`,
		`{"type":3,"id":"1","token":"t","data":{"custom_id":"adv:pick:::","values":[""]}}`,
		`{"type":2,"id":"2","token":"t","data":{"name":"advisory","options":[{"name":"title","value":"[Free Nitro](https://evil.example)"}]}}`, `{"type":4,"id":"1","token":"t","data":{"options":[{"name":"title","focused":true,"value":null}]}}`} {
		f.Add([]byte(s))
	}
	pub, priv := testKey()
	b := fixtureBot(f)
	h, err := NewHTTPHandler(hexKey(pub), newTestHandler(f, b, nil), nil, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(priv, body))
		i, decodeErr := decodeInteraction(body)
		switch {
		case len(body) > DefaultMaxBody:
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("oversized payload answered %d", rec.Code)
			}
		case decodeErr != nil:
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("undecodable payload answered %d", rec.Code)
			}
		case rec.Code == http.StatusConflict:
			if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionMessageComponent {
				t.Fatalf("type %d answered as a replay", i.Type)
			}
		case rec.Code == http.StatusOK:
			var r struct {
				Type discordgo.InteractionResponseType `json:"type"`
				Data *struct {
					Embeds          []*discordgo.MessageEmbed `json:"embeds"`
					AllowedMentions *struct {
						Parse []string `json:"parse"`
					} `json:"allowed_mentions"`
				} `json:"data"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
				t.Fatalf("answer is not JSON: %v: %s", err, rec.Body)
			}
			if r.Data != nil && len(r.Data.Embeds) > 0 && (r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil) {
				t.Fatalf("message without empty allowed_mentions: %s", rec.Body)
			}
			if r.Data == nil {
				break
			}
			for _, e := range r.Data.Embeds {
				for _, text := range embedTexts(e) {
					if linkLike.MatchString(text) || maskedLink.MatchString(text) {
						t.Fatalf("a link in %q", text)
					}
				}
			}
		case rec.Code != http.StatusBadRequest:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if bytes.Contains(rec.Body.Bytes(), []byte(`"parse":null`)) {
			t.Fatalf("parse must be [] not null: %s", rec.Body)
		}
	})
}

// FuzzDecode is the payload decoding alone, fast enough to explore deeply:
// it never panics, and what it accepts has the fields the handler needs.
func FuzzDecode(f *testing.F) {
	addInteractionSeeds(f)
	f.Add([]byte(`{"type":2,"id":"1","token":"t","data":{"options":[{"name":"title","options":[{"value":true}]}],"values":["a"]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		i, err := decodeInteraction(body)
		if err != nil {
			return
		}
		if i.Type == 0 || i.Type != discordgo.InteractionPing && (i.ID == "" || i.Token == "") {
			t.Fatalf("accepted %+v", i)
		}
	})
}

// addInteractionSeeds seeds a fuzz target with the recorded interactions.
func addInteractionSeeds(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "interactions", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed interactions in testdata/interactions: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeMatchesStdlib: decodeInteraction's JSON library decodes what
// encoding/json decodes, to the same values, and refuses what it refuses.
func FuzzDecodeMatchesStdlib(f *testing.F) {
	addInteractionSeeds(f)
	for _, s := range []string{`{"type":1}`, `{"type":2.0,"id":"1","token":"t"}`, `{"type":2,"id":"1","token":"t","data":{"options":[{"name":"age","value":1e400}]}}`,
		`{"type":2,"id":"\ud800","token":"t\xff"}`, `{"type":2,"id":"1","ID":"2","token":"t"}`, `{"type":3,"id":"1","token":"t","data":{"values":["a",1]}}`,
		`{"type":2,"id":"1","token":"t"} x`, `{"type":-1}`, `{"type":256}`, `{"type":2,"id":"1","token":"t","member":{"user":null}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got, want interaction
		err := unmarshal(body, &got)
		wantErr := json.Unmarshal(body, &want)
		switch {
		case wantErr != nil && err == nil:
			t.Fatalf("decoded what encoding/json refuses (%v): %q", wantErr, body)
		case wantErr == nil && err != nil:
			t.Fatalf("refused what encoding/json decodes: %v: %q", err, body)
		case wantErr == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("decoded %+v, encoding/json %+v: %q", got, want, body)
		}
	})
}
