package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/slack/slacktestws"
)

func raw(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSlackSocketModeE2E drives the real serve wiring over Socket Mode
// against local fakes: slack-go's slacktest for the Web API and a Socket
// Mode endpoint speaking Slack's envelope protocol.
func TestSlackSocketModeE2E(t *testing.T) {
	sm := slacktestws.NewSocketMode()
	api := slacktestws.NewWebAPI(sm)
	t.Cleanup(func() { sm.Close(); api.Stop() })
	stderr, stop := runServe(t, map[string]string{
		"SLACK_APP_TOKEN": "xapp-1-A0FAKE-1-test",
		"SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_API_URL":   api.GetAPIURL(),
		"LOG_LEVEL":       "debug",
		"ADDR":            "127.0.0.1:0", // the probes are served in Socket Mode too
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := sm.WaitConnected(ctx); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	send := func(env slacktestws.Envelope) {
		t.Helper()
		if err := sm.Send(env); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := sm.WaitAck(ctx, env.EnvelopeID); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("envelope %s acked after %v", env.EnvelopeID, d)
		}
	}

	// A slash command is acked, then answered through its response_url.
	send(slacktestws.Envelope{EnvelopeID: "env-slash", Type: "slash_commands", AcceptsResponsePayload: true, Payload: raw(t, map[string]any{
		"token": "x", "team_id": "T1", "team_domain": "family", "channel_id": "C1", "channel_name": "general",
		"user_id": "U1", "user_name": "parent", "command": "/advisory", "text": "Ballerina 2023",
		"response_url": api.ResponseURL("slash-1"), "trigger_id": "1.2.3", "api_app_id": "A0FAKE",
	})})
	c, next, err := api.WaitCall(ctx, 0, slacktestws.Method("response_url"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if c.Path != "/response/slash-1" || c.JSON["response_type"] != "ephemeral" || !strings.Contains(fmt.Sprint(c.JSON["text"]), "Ballerina (2023) · film · TV-MA: Not suitable for a 12-year-old") {
		t.Errorf("slash command answered with %s %v", c.Path, c.JSON)
	}
	if b := c.Blocks(); len(b) == 0 || b[0]["type"] != "header" {
		t.Errorf("slash answer blocks %v", b)
	}

	// An app_mention gets a threaded chat.postMessage: here, a choice.
	const rootTS = "1700000000.000100"
	mention := func(envID, eventID, text, ts string) {
		ev := map[string]any{"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts}
		if ts != rootTS {
			ev["thread_ts"] = rootTS
		}
		send(slacktestws.Envelope{EnvelopeID: envID, Type: "events_api", Payload: raw(t, map[string]any{
			"token": "x", "team_id": "T1", "api_app_id": "A0FAKE", "type": "event_callback",
			"event_id": eventID, "event_time": 1700000000, "event": ev,
		})})
	}
	mention("env-mention", "Ev1", "<@U0BOT> is Ballerina ok for my 10 year old?", rootTS)
	c, i, err := api.WaitCall(ctx, next, slacktestws.Method("chat.postMessage"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if c.Form.Get("channel") != "C1" || c.Form.Get("thread_ts") != rootTS || !strings.Contains(c.Form.Get("blocks"), "Ballerina (2023) · film · TV-MA") {
		t.Fatalf("mention answered with %v", c.Form)
	}
	answerTS := c.TS

	// A click on "Ballerina (2023) · film · TV-MA" updates that message with chat.update.
	send(slacktestws.Envelope{EnvelopeID: "env-click", Type: "interactive", Payload: raw(t, map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1", "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"api_app_id": "A0FAKE", "trigger_id": "1.2.4",
		"container": map[string]any{"type": "message", "message_ts": answerTS, "channel_id": "C1", "is_ephemeral": false, "thread_ts": rootTS},
		"channel":   map[string]any{"id": "C1"},
		"message":   map[string]any{"type": "message", "ts": answerTS, "thread_ts": rootTS},
		"actions":   []map[string]any{{"type": "button", "action_id": "advisory.pick.1", "block_id": "pick", "value": "id=ballerina-2023&age=10", "action_ts": "1700000001.1"}},
	})})
	c, i, err = api.WaitCall(ctx, i+1, slacktestws.Method("chat.update"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if c.Form.Get("ts") != answerTS || c.Form.Get("channel") != "C1" || !strings.Contains(c.Form.Get("text"), "Not suitable for a 10-year-old") {
		t.Errorf("click updated %v", c.Form)
	}

	// A follow-up in the thread is about the title just chosen, for the same age.
	mention("env-followup", "Ev2", "<@U0BOT> what about the language?", "1700000000.000300")
	c, _, err = api.WaitCall(ctx, i+1, slacktestws.Method("chat.postMessage"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if text := c.Form.Get("text"); c.Form.Get("thread_ts") != rootTS || !strings.HasPrefix(text, "Ballerina (2023) · film · TV-MA: Not suitable for a 10-year-old") || !strings.Contains(text, "Language: severe") {
		t.Errorf("follow-up answered with %v", c.Form)
	}

	// A redelivery of the first mention (retry_attempt) is acked and not
	// answered again; nor is a replayed slash command (same trigger_id).
	before := len(api.Calls())
	send(slacktestws.Envelope{EnvelopeID: "env-retry", Type: "events_api", RetryAttempt: 1, RetryReason: "timeout", Payload: raw(t, map[string]any{
		"token": "x", "team_id": "T1", "type": "event_callback", "event_id": "Ev1",
		"event": map[string]any{"type": "app_mention", "user": "U1", "text": "<@U0BOT> is Ballerina ok for my 10 year old?", "ts": rootTS, "channel": "C1"},
	})})
	send(slacktestws.Envelope{EnvelopeID: "env-slash-replay", Type: "slash_commands", AcceptsResponsePayload: true, Payload: raw(t, map[string]any{
		"team_id": "T1", "user_id": "U1", "command": "/advisory", "text": "Ballerina 2023",
		"response_url": api.ResponseURL("slash-1"), "trigger_id": "1.2.3", "api_app_id": "A0FAKE",
	})})
	// serve answers everything it acknowledged before it exits.
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, stderr)
	}
	if n := len(api.Calls()); n != before {
		t.Errorf("a retried event or replayed command was answered again: %d calls, want %d", n, before)
	}
}

// TestSlackHTTPModeE2E: with SLACK_SIGNING_SECRET, serve adds the three
// endpoints on the shared listener and answers a signed slash command.
func TestSlackHTTPModeE2E(t *testing.T) {
	addr := freeAddr(t)
	const secret = "e2e-secret"
	stderr := startServe(t, map[string]string{"SLACK_SIGNING_SECRET": secret, "ADDR": addr})
	body := url.Values{"command": {"/advisory"}, "text": {"Ballerina"}, "user_id": {"U1"}, "team_id": {"T1"}, "channel_id": {"C1"},
		"response_url": {"http://127.0.0.1:1/unused"}}.Encode()
	code, b := postUntilListening(t, "http://"+addr+"/slack/commands", slackSigned(secret, body), body)
	if code != http.StatusOK || !strings.Contains(b, `"advisory.pick.1"`) || !strings.Contains(b, `"response_type":"ephemeral"`) {
		t.Errorf("signed slash command: %d %s\n%s", code, b, stderr)
	}
	unsigned := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	// Slack's check of the command URL's certificate: 200, nothing else.
	if code, b := postUntilListening(t, "http://"+addr+"/slack/commands", unsigned, "ssl_check=1&token=x"); code != http.StatusOK || len(b) != 0 {
		t.Errorf("ssl_check: %d %q, want an empty 200", code, b)
	}
	for _, path := range []string{"/slack/commands", "/slack/events", "/slack/interactions"} {
		if code, _ := postUntilListening(t, "http://"+addr+path, unsigned, body); code != http.StatusUnauthorized {
			t.Errorf("unsigned POST %s: %d, want 401", path, code)
		}
	}
}

// TestSlackConfigErrors: half a Socket Mode configuration is refused with
// a message that says what is missing.
func TestSlackConfigErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "needs both SLACK_APP_TOKEN and SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "needs both SLACK_APP_TOKEN and SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_APP_TOKEN": "xoxb-wrong", "SLACK_BOT_TOKEN": "xoxb-1"}, "app-level token"},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, "", tc.env, "serve", "--data", "../../testdata/reviews")
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tc.env, code, errOut, tc.want)
		}
	}
}
