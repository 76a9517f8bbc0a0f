package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/adapters/slack/slacktestws"
)

// postUntilListening POSTs body with headers, retrying while serve's
// listener is starting.
func postUntilListening(t *testing.T, u string, header http.Header, body string) (int, string) {
	t.Helper()
	var lastErr error
	for range 100 { // the listener starts asynchronously
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			lastErr = err
			time.Sleep(20 * time.Millisecond) // waiting for the listener, not for an answer
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	t.Fatal(lastErr)
	return 0, ""
}

// TestSettingsServeE2E: serve's wiring hands both adapters the bot's
// settings. On Discord (HTTP endpoint) an admin makes answers public and a
// member is refused; on Slack (HTTP mode, users.info on a fake Web API)
// an admin sets the age. The settings file then holds both, as the shell
// command shows.
func TestSettingsServeE2E(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, ed25519.SeedSize))
	api := slacktestws.NewWebAPI(nil)
	t.Cleanup(api.Stop)
	api.SetUser(slacktestws.User{ID: "UADMIN", TeamID: "T1", IsAdmin: true})
	api.SetUser(slacktestws.User{ID: "UMEMBER", TeamID: "T1"})
	file := filepath.Join(t.TempDir(), "settings.json")
	addr := freeAddr(t)
	const secret = "e2e-settings-secret"
	env := map[string]string{
		"ADDR":                      addr,
		"ADVISORYBOT_SETTINGS_FILE": file,
		"DISCORD_PUBLIC_KEY":        hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		"SLACK_SIGNING_SECRET":      secret,
		"SLACK_BOT_TOKEN":           "xoxb-test",
		"SLACK_API_URL":             api.GetAPIURL(),
	}
	stderr, stop := startDiscordServe(t, env)

	discord := func(v map[string]any) discordSent {
		t.Helper()
		body := mustJSON(v)
		code, resp := postUntilListening(t, "http://"+addr+"/discord/interactions", discordtest.Sign(priv, strconv.FormatInt(time.Now().Unix(), 10), []byte(body)), body)
		var s discordSent
		if code != http.StatusOK || json.Unmarshal([]byte(resp), &s) != nil || s.Data == nil {
			t.Fatalf("discord: %d %s\n%s", code, resp, stderr)
		}
		return s
	}
	settings := func(id, perms string) map[string]any {
		return discordInteraction(id, 2, map[string]any{"id": "2", "name": "advisory-settings", "type": 1, "options": []any{
			map[string]any{"name": "visibility", "type": 1, "options": []any{map[string]any{"name": "visibility", "type": 3, "value": "public"}}},
		}}, map[string]any{"member": map[string]any{"user": map[string]any{"id": "500000000000000005", "username": "parent", "discriminator": "0"},
			"roles": []string{}, "permissions": perms}})
	}
	if s := discord(settings("7001", "1024")); s.Data.title() != "Only members with Manage Server can change the bot's settings." || s.Data.Flags != 64 {
		t.Errorf("member: %+v", s.Data)
	}
	if s := discord(settings("7002", "32")); s.Data.title() != "Visibility: public" || s.Data.Flags != 64 {
		t.Errorf("admin: %+v", s.Data)
	}
	ask := discordInteraction("7003", 2, map[string]any{"id": "1", "name": "advisory", "type": 1,
		"options": []any{map[string]any{"name": "title", "type": 3, "value": "Ballerina 2023"}}}, nil)
	if s := discord(ask); s.Data.title() != "Ballerina (2023) · film · TV-MA" || s.Data.Flags != 0 {
		t.Errorf("/advisory in a public server: flags %d, title %q", s.Data.Flags, s.Data.title())
	}

	slack := func(user, text string) string {
		t.Helper()
		body := url.Values{"command": {"/advisory-settings"}, "text": {text}, "user_id": {user}, "team_id": {"T1"}, "channel_id": {"C1"},
			"response_url": {api.ResponseURL("s")}, "trigger_id": {"1.2." + user}}.Encode()
		code, resp := postUntilListening(t, "http://"+addr+"/slack/commands", slackSigned(secret, body), body)
		if code != http.StatusOK || !strings.Contains(resp, `"response_type":"ephemeral"`) {
			t.Fatalf("slack: %d %s\n%s", code, resp, stderr)
		}
		return resp
	}
	if resp := slack("UMEMBER", "age 9"); !strings.Contains(resp, "Only workspace admins and owners") {
		t.Errorf("slack member: %s", resp)
	}
	if resp := slack("UADMIN", "age 9"); !strings.Contains(resp, "Age set to 9.") {
		t.Errorf("slack admin: %s", resp)
	}
	stop()

	for _, tc := range []struct{ community, want string }{
		{"discord:300000000000000003", "Visibility: public\n"},
		{"slack:T1", "Age: 9\n"},
	} {
		code, out, errOut := runCLI(t, "", map[string]string{"ADVISORYBOT_SETTINGS_FILE": file}, "settings", tc.community)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d\n%s\n%s", tc.community, code, out, errOut)
		}
	}
}
