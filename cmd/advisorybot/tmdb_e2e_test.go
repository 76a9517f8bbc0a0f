package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/adapters/tmdb/tmdbtest"
)

// These tests run `advisorybot serve` with Discord's HTTP interactions
// endpoint and Slack's HTTP mode on one listener, against the fake TMDB,
// and drive them with signed requests as Discord and Slack send them. They
// check what the user is shown (title, rating, verdict, source), not the
// layout, which the adapters own.

// recorder is an HTTP server that keeps every request body: Discord's REST
// API (deferred answers edit the original response) and Slack's
// response_url (late answers and button updates).
type recorder struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []recorded
	added  chan struct{}
}

type recorded struct {
	method, path string
	body         []byte
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{added: make(chan struct{}, 100)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, recorded{req.Method, req.URL.Path, b})
		r.mu.Unlock()
		r.added <- struct{}{}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"id":"900000000000000001","channel_id":"400000000000000004","content":""}`))
	}))
	t.Cleanup(r.Close)
	return r
}

// wait returns the first request whose path has the suffix, waiting for
// it as long as ctx allows.
func (r *recorder) wait(ctx context.Context, t *testing.T, suffix string) []byte {
	t.Helper()
	for {
		r.mu.Lock()
		for _, b := range r.bodies {
			if strings.HasSuffix(b.path, suffix) {
				r.mu.Unlock()
				return b.body
			}
		}
		r.mu.Unlock()
		select {
		case <-r.added:
		case <-ctx.Done():
			t.Fatalf("no request to …%s", suffix)
		}
	}
}

// tmdbServe starts serve with both chat platforms in HTTP mode and the fake
// TMDB, and waits until it listens.
func tmdbServe(t *testing.T) (addr string, discordKey ed25519.PrivateKey, slackSecret string, fake *tmdbtest.Server, api *recorder) {
	t.Helper()
	addr = freeAddr(t)
	fake = tmdbtest.New(t)
	api = newRecorder(t)
	discordKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	slackSecret = "tmdb-e2e-secret"
	logs := startServe(t, map[string]string{
		"ADDR":                 addr,
		"TMDB_TOKEN":           tmdbtest.Token,
		"TMDB_API_URL":         fake.URL,
		"DISCORD_PUBLIC_KEY":   hex.EncodeToString(discordKey.Public().(ed25519.PublicKey)),
		"DISCORD_API_BASE":     api.URL + "/",
		"SLACK_SIGNING_SECRET": slackSecret,
	})
	waitListening(t, addr, logs)
	return addr, discordKey, slackSecret, fake, api
}

// shows checks that a reply's text holds everything in want.
func shows(t *testing.T, what string, reply []byte, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(reply), w) {
			t.Errorf("%s does not show %q:\n%s", what, w, reply)
		}
	}
}

// buttons walks a reply's JSON for buttons: their label (Discord "label",
// Slack "text.text") and what a click sends back (Discord "custom_id",
// Slack "value").
func buttons(t *testing.T, reply []byte) map[string]string {
	t.Helper()
	var v any
	if err := json.Unmarshal(reply, &v); err != nil {
		t.Fatalf("reply is not JSON: %v\n%s", err, reply)
	}
	out := map[string]string{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			label, _ := x["label"].(string)
			if txt, ok := x["text"].(map[string]any); ok && x["type"] == "button" {
				label, _ = txt["text"].(string)
			}
			for _, k := range []string{"custom_id", "value"} {
				if s, ok := x[k].(string); ok && label != "" {
					out[label] = s
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// button finds the button whose label starts with prefix.
func button(t *testing.T, reply []byte, prefix string) string {
	t.Helper()
	for label, v := range buttons(t, reply) {
		if strings.HasPrefix(label, prefix) {
			return v
		}
	}
	t.Fatalf("no button %q among %q:\n%s", prefix, buttons(t, reply), reply)
	return ""
}

func TestServeDiscordWithTMDB(t *testing.T) {
	addr, key, _, fake, api := tmdbServe(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := 0
	// interact posts a signed interaction and returns what the user sees:
	// the response, or, when the answer was deferred, the edit that follows.
	interact := func(typ int, data map[string]any, extra map[string]any) []byte {
		t.Helper()
		n++
		id := "77000000000000" + strconv.Itoa(1000+n)
		body := mustJSON(discordInteraction(id, typ, data, extra))
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/discord/interactions", strings.NewReader(body))
		req.Header = discordtest.Sign(key, strconv.FormatInt(time.Now().Unix(), 10), []byte(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("interaction: %d %s", res.StatusCode, b)
		}
		var r struct {
			Type int `json:"type"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("response %s: %v", b, err)
		}
		if r.Type == 5 || r.Type == 6 { // deferred: the answer edits the original
			return api.wait(ctx, t, "/webhooks/200000000000000002/tok-"+id+"/messages/@original")
		}
		return b
	}
	command := func(title string) []byte {
		return interact(2, map[string]any{"id": "1", "name": "advisory", "type": 1,
			"options": []any{map[string]any{"name": "title", "type": 3, "value": title}}}, nil)
	}

	shows(t, "a certification answer", command("Frozen"), "Frozen (2013)", "PG", "Use caution for a 12-year-old", "TMDB")

	// A film and a show of one name: a choice; the show is picked.
	choice := command("Fargo")
	shows(t, "the disambiguation", choice, "Fargo (2014) · show · TV-MA", "Fargo (1996) · film · R")
	pick := button(t, choice, "Fargo (2014)")
	picked := interact(3, map[string]any{"custom_id": pick, "component_type": 2},
		map[string]any{"message": map[string]any{"id": "800000000000000008", "channel_id": "400000000000000004", "flags": 64}})
	shows(t, "the picked title", picked, "Fargo (2014)", "TV-MA", "Not suitable for a 12-year-old", "TMDB")

	// Curated and TMDB titles of one name are offered together.
	shows(t, "curated and TMDB titles", command("Ballerina"),
		"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA", "Ballerina (2025) · film · R")
	if fake.Total() == 0 {
		t.Error("no request reached the fake TMDB")
	}
}

func TestServeSlackWithTMDB(t *testing.T) {
	addr, _, secret, fake, hooks := tmdbServe(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := 0
	post := func(path, body string) []byte {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+path, strings.NewReader(body))
		req.Header = slackSigned(secret, body)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d %s", path, res.StatusCode, b)
		}
		return b
	}
	// command returns what the user sees: the response, or, when the
	// answer came after the ack, what was posted to response_url.
	command := func(text string) []byte {
		t.Helper()
		n++
		hook := "/cmd-" + strconv.Itoa(n)
		b := post("/slack/commands", url.Values{"command": {"/advisory"}, "text": {text}, "user_id": {"U1"}, "team_id": {"T1"},
			"channel_id": {"C1"}, "trigger_id": {"trig-" + strconv.Itoa(n)}, "response_url": {hooks.URL + hook}}.Encode())
		if len(bytes.TrimSpace(b)) == 0 {
			return hooks.wait(ctx, t, hook)
		}
		return b
	}

	shows(t, "a certification answer", command("is Frozen family-safe?"), "Frozen (2013)", "PG", "Use caution for a 12-year-old", "TMDB")

	choice := command("Fargo")
	shows(t, "the disambiguation", choice, "Fargo (2014) · show · TV-MA", "Fargo (1996) · film · R")
	value := button(t, choice, "Fargo (2014)")
	// A click is acked at once and answered through response_url.
	payload := mustJSON(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1", "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"api_app_id": "A0FAKE", "trigger_id": "trig-click", "response_url": hooks.URL + "/click",
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000200", "channel_id": "C1", "is_ephemeral": true},
		"channel":   map[string]any{"id": "C1"},
		"actions":   []map[string]any{{"type": "button", "action_id": "advisory.pick.1", "block_id": "pick", "value": value, "action_ts": "1700000001.1"}},
	})
	post("/slack/interactions", url.Values{"payload": {payload}}.Encode())
	shows(t, "the picked title", hooks.wait(ctx, t, "/click"), "Fargo (2014)", "TV-MA", "Not suitable for a 12-year-old", "TMDB")

	shows(t, "curated and TMDB titles", command("Ballerina"),
		"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA", "Ballerina (2025) · film · R")
	if fake.Total() == 0 {
		t.Error("no request reached the fake TMDB")
	}
}
