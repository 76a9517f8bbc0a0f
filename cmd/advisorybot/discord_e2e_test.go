package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/discord/discordtest"
)

// discordInteraction is an interaction object as Discord dispatches it.
func discordInteraction(id string, typ int, data map[string]any, extra map[string]any) map[string]any {
	m := map[string]any{
		"id": id, "application_id": "200000000000000002", "type": typ, "token": "tok-" + id, "version": 1,
		"guild_id": "300000000000000003", "channel_id": "400000000000000004", "locale": "en-GB",
		"member": map[string]any{"user": map[string]any{"id": "500000000000000005", "username": "parent", "discriminator": "0"}, "roles": []string{}},
		"data":   data,
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func discordMessage(id, author string, isBot bool, content string, mentions ...string) map[string]any {
	ms := []any{}
	for _, u := range mentions {
		ms = append(ms, map[string]any{"id": u, "username": "advisory", "discriminator": "0", "bot": true})
	}
	return map[string]any{
		"id": id, "channel_id": "400000000000000004", "guild_id": "300000000000000003", "type": 0, "content": content,
		"timestamp": "2026-01-01T00:00:00.000000+00:00", "mentions": ms,
		"author": map[string]any{"id": author, "username": "someone", "discriminator": "0", "bot": isBot},
	}
}

// discordSent is what the tests read from a callback or a message.
type discordSent struct {
	Type int `json:"type"`
	discordSentData
	Data *discordSentData `json:"data"`
}

type discordSentData struct {
	Flags  int `json:"flags"`
	Embeds []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"embeds"`
	Components []struct {
		Components []struct {
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
	Choices []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"choices"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

func decodeSent(t *testing.T, r discordtest.Request) discordSent {
	t.Helper()
	var s discordSent
	if err := json.Unmarshal(r.Body, &s); err != nil {
		t.Fatalf("%s %s: %v\n%s", r.Method, r.Path, err, r.Body)
	}
	return s
}

func (d discordSentData) title() string {
	if len(d.Embeds) == 0 {
		return ""
	}
	return d.Embeds[0].Title
}

func (d discordSentData) noMentions() bool {
	return d.AllowedMentions != nil && d.AllowedMentions.Parse != nil && len(d.AllowedMentions.Parse) == 0
}

// TestDiscordE2E starts the real serve wiring against a local fake Discord
// (gateway websocket + REST) and drives it as Discord would.
func TestDiscordE2E(t *testing.T) {
	fake := discordtest.New(t)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	addr := freeAddr(t)
	env := map[string]string{
		"DISCORD_TOKEN":       "e2e-token",
		"DISCORD_PUBLIC_KEY":  hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		"DISCORD_APP_ID":      fake.AppID,
		"DISCORD_API_BASE":    fake.URL,
		"DISCORD_SHARD_ID":    "1",
		"DISCORD_SHARD_COUNT": "2",
		"ADDR":                addr,
	}
	logs, stop := startDiscordServe(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ident, err := fake.WaitIdentify(ctx, 1)
	if err != nil {
		t.Fatalf("%v\n%s", err, logs)
	}
	var id struct {
		Token string `json:"token"`
		Shard [2]int `json:"shard"`
	}
	if err := json.Unmarshal(ident, &id); err != nil || id.Token != "Bot e2e-token" || id.Shard != [2]int{1, 2} {
		t.Errorf("identify %s (%v)", ident, err)
	}

	callback := func(iid string) func(discordtest.Request) bool {
		return func(r discordtest.Request) bool {
			return r.Method == http.MethodPost && r.Path == "/api/v9/interactions/"+iid+"/tok-"+iid+"/callback"
		}
	}
	dispatch := func(t *testing.T, event string, d any) {
		t.Helper()
		if err := fake.Dispatch(event, d); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(t *testing.T, match func(discordtest.Request) bool) discordtest.Request {
		t.Helper()
		r, _, err := fake.WaitRequest(ctx, 0, match)
		if err != nil {
			t.Fatalf("%v\nrequests: %d\n%s", err, len(fake.Requests()), logs)
		}
		return r
	}
	title := map[string]any{"name": "title", "type": 3, "value": "Ballerina 2023"}

	t.Run("slash command", func(t *testing.T) {
		dispatch(t, "INTERACTION_CREATE", discordInteraction("1001", 2, map[string]any{"id": "1", "name": "advisory", "type": 1, "options": []any{title}}, nil))
		s := decodeSent(t, wait(t, callback("1001")))
		if s.Type != 4 || s.Data == nil || s.Data.title() != "Ballerina (2023) · film · TV-MA" || s.Data.Flags != 64 || !s.Data.noMentions() {
			t.Errorf("callback %+v", s)
		}
	})
	t.Run("autocomplete", func(t *testing.T) {
		dispatch(t, "INTERACTION_CREATE", discordInteraction("1002", 4, map[string]any{"id": "1", "name": "advisory", "type": 1,
			"options": []any{map[string]any{"name": "title", "type": 3, "value": "Balle", "focused": true}}}, nil))
		s := decodeSent(t, wait(t, callback("1002")))
		var names []string
		for _, c := range s.Data.Choices {
			names = append(names, c.Name)
		}
		if s.Type != 8 || strings.Join(names, "|") != "Ballerina (2016) · film · PG|Ballerina (2023) · film · TV-MA" {
			t.Errorf("autocomplete type %d choices %q", s.Type, names)
		}
	})
	t.Run("button updates the message", func(t *testing.T) {
		ambiguous := map[string]any{"name": "title", "type": 3, "value": "Ballerina"}
		dispatch(t, "INTERACTION_CREATE", discordInteraction("1003", 2, map[string]any{"id": "1", "name": "advisory", "type": 1, "options": []any{ambiguous}}, nil))
		s := decodeSent(t, wait(t, callback("1003")))
		var pick string
		for _, row := range s.Data.Components {
			for _, c := range row.Components {
				if c.Label == "Ballerina (2023) · film · TV-MA" {
					pick = c.CustomID
				}
			}
		}
		if s.Data.title() != "Which one do you mean?" || pick == "" {
			t.Fatalf("disambiguation %s", mustJSON(s))
		}
		dispatch(t, "INTERACTION_CREATE", discordInteraction("1004", 3, map[string]any{"custom_id": pick, "component_type": 2},
			map[string]any{"message": map[string]any{"id": "800000000000000008", "channel_id": "400000000000000004", "flags": 64}}))
		u := decodeSent(t, wait(t, callback("1004")))
		if u.Type != 7 || u.Data.title() != "Ballerina (2023) · film · TV-MA" || !u.Data.noMentions() {
			t.Errorf("update %s", mustJSON(u))
		}
	})
	isReplyTo := func(id string) func(discordtest.Request) bool {
		return func(r discordtest.Request) bool {
			return r.Method == http.MethodPost && r.Path == "/api/v9/channels/400000000000000004/messages" &&
				strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
		}
	}
	t.Run("mention and follow-up", func(t *testing.T) {
		dispatch(t, "MESSAGE_CREATE", discordMessage("2001", "500000000000000005", false, "<@"+fake.BotID+"> is Ballerina 2016 family-safe?", fake.BotID))
		s := decodeSent(t, wait(t, isReplyTo("2001")))
		if s.title() != "Ballerina (2016) · film · PG" || !s.noMentions() {
			t.Errorf("reply %s", mustJSON(s))
		}
		if !strings.Contains(string(wait(t, isReplyTo("2001")).Body), `"allowed_mentions":{"parse":[]`) {
			t.Error("allowed_mentions is not an explicit empty parse list")
		}
		// The follow-up names no title: the conversation (channel) remembers it.
		dispatch(t, "MESSAGE_CREATE", discordMessage("2002", "500000000000000005", false, "<@"+fake.BotID+"> what about the violence?", fake.BotID))
		f := decodeSent(t, wait(t, isReplyTo("2002")))
		if f.title() != "Ballerina (2016) · film · PG" || len(f.Embeds) == 0 || !strings.Contains(f.Embeds[0].Description, "**Violence: unknown**") {
			t.Errorf("follow-up %s", mustJSON(f))
		}
		// Text echoed back ("@everyone") must not ping: allowed_mentions stays empty.
		dispatch(t, "MESSAGE_CREATE", discordMessage("2003", "500000000000000005", false, "<@"+fake.BotID+"> is @everyone family-safe?", fake.BotID))
		e := wait(t, isReplyTo("2003"))
		if !strings.Contains(string(e.Body), "@everyone") || !strings.Contains(string(e.Body), `"allowed_mentions":{"parse":[]`) {
			t.Errorf("echo reply %s", e.Body)
		}
	})
	t.Run("HTTP interactions endpoint", func(t *testing.T) {
		post := func(body string, key ed25519.PrivateKey) (int, string) {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/discord/interactions", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = discordtest.Sign(key, ts, []byte(body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if code, body := post(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`, priv); code != 200 || body != `{"type":1}` {
			t.Errorf("PING: %d %s", code, body)
		}
		cmd := mustJSON(discordInteraction("1005", 2, map[string]any{"id": "1", "name": "advisory", "type": 1, "options": []any{title}}, nil))
		if code, body := post(cmd, priv); code != 200 || !strings.Contains(body, `"title":"Ballerina (2023) · film · TV-MA"`) {
			t.Errorf("command: %d %s", code, body)
		}
		other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
		if code, _ := post(cmd, other); code != http.StatusUnauthorized {
			t.Errorf("wrong key: %d", code)
		}
		if code, body := post(cmd, priv); code != http.StatusConflict || strings.Contains(body, "Ballerina") {
			t.Errorf("the same interaction again: %d %s, want 409 and no answer", code, body)
		}
	})
	t.Run("own and bot messages ignored", func(t *testing.T) {
		dispatch(t, "MESSAGE_CREATE", discordMessage("3001", fake.BotID, true, "<@"+fake.BotID+"> Ballerina 2023", fake.BotID))
		dispatch(t, "MESSAGE_CREATE", discordMessage("3002", "900000000000000009", true, "<@"+fake.BotID+"> Ballerina 2023", fake.BotID))
		dispatch(t, "MESSAGE_CREATE", discordMessage("3003", "500000000000000005", false, "<@"+fake.BotID+"> Ballerina 2023", fake.BotID))
		wait(t, isReplyTo("3003"))
		// Messages are handled concurrently; once serve has stopped, every
		// message read before 3003 has been handled.
		stop()
		for _, r := range fake.Requests() {
			if isReplyTo("3001")(r) || isReplyTo("3002")(r) {
				t.Errorf("answered a bot's message: %s", r.Body)
			}
		}
	})
}

// TestDiscordRegister runs `advisorybot discord register` against the fake REST API.
func TestDiscordRegister(t *testing.T) {
	fake := discordtest.New(t)
	tests := []struct {
		name, path string
		args       []string
		env        map[string]string
	}{
		{"guild", "/api/v9/applications/" + fake.AppID + "/guilds/42/commands", []string{"discord", "register", "--guild", "42"},
			map[string]string{"DISCORD_TOKEN": "t", "DISCORD_APP_ID": fake.AppID, "DISCORD_API_BASE": fake.URL}},
		{"global, app id looked up", "/api/v9/applications/" + fake.AppID + "/commands", []string{"discord", "register"},
			map[string]string{"DISCORD_TOKEN": "t", "DISCORD_API_BASE": fake.URL}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Requests())
			code, stdout, stderr := runCLI(t, "", tc.env, tc.args...)
			if code != 0 || !strings.Contains(stdout, "registered /advisory") {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			var put *discordtest.Request
			for _, r := range fake.Requests()[before:] {
				if r.Method == http.MethodPut {
					put = &r
				}
			}
			if put == nil || put.Path != tc.path {
				t.Fatalf("no bulk overwrite at %s: %+v", tc.path, put)
			}
			var cmds []struct {
				Name        string `json:"name"`
				Permissions string `json:"default_member_permissions"`
				Options     []struct {
					Name         string `json:"name"`
					Required     bool   `json:"required"`
					Autocomplete bool   `json:"autocomplete"`
				} `json:"options"`
			}
			if err := put.JSON(&cmds); err != nil {
				t.Fatal(err)
			}
			if len(cmds) != 2 || cmds[0].Name != "advisory" || len(cmds[0].Options) < 3 ||
				cmds[0].Options[0].Name != "title" || !cmds[0].Options[0].Required || !cmds[0].Options[0].Autocomplete ||
				cmds[0].Options[1].Name != "year" || cmds[0].Options[2].Name != "age" {
				t.Errorf("commands %s", put.Body)
			}
			if cmds[1].Name != "advisory-settings" || cmds[1].Permissions != "32" || !strings.Contains(stdout, "registered /advisory-settings") {
				t.Errorf("settings command %+v\n%s", cmds[1], stdout)
			}
		})
	}
	if code, _, _ := runCLI(t, "", map[string]string{}, "discord", "register"); code != 1 {
		t.Errorf("register without a token exited %d, want 1", code)
	}
	if code, _, _ := runCLI(t, "", map[string]string{}, "discord"); code != 2 {
		t.Errorf("discord without a subcommand exited %d, want 2", code)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
