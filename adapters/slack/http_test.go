package slack_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/bot"
)

// TestSignatureRejected: stale, tampered, missing or malformed signatures
// get 401 on every endpoint and nothing reaches the bot.
func TestSignatureRejected(t *testing.T) {
	h := newHarness(t)
	bodies := map[string]string{
		"/slack/commands":     commandBody("Ballerina 2023", h.api.ResponseURL("c")),
		"/slack/events":       mentionBody("Ev1", "<@UBOT> Ballerina 2023", "1700000000.000100", ""),
		"/slack/interactions": clickBody("advisory.pick.0", "id=ballerina-2023", h.api.ResponseURL("i"), true),
	}
	handlers := map[string]http.Handler{"/slack/commands": h.a.Commands(), "/slack/events": h.a.Events(), "/slack/interactions": h.a.Interactions()}
	stale := strconv.FormatInt(time.Now().Add(-5*time.Minute-10*time.Second).Unix(), 10)
	future := strconv.FormatInt(time.Now().Add(6*time.Minute).Unix(), 10)
	tests := []struct {
		name   string
		mutate func(r *http.Request, body string) *http.Request
	}{
		{"stale timestamp", func(r *http.Request, body string) *http.Request {
			r.Header.Set("X-Slack-Request-Timestamp", stale)
			r.Header.Set("X-Slack-Signature", sign(stale, body))
			return r
		}},
		{"future timestamp", func(r *http.Request, body string) *http.Request {
			r.Header.Set("X-Slack-Request-Timestamp", future)
			r.Header.Set("X-Slack-Signature", sign(future, body))
			return r
		}},
		{"tampered body", func(r *http.Request, body string) *http.Request {
			t := strings.Replace(body, "U1", "U2", 1)
			r2 := httptest.NewRequest(http.MethodPost, r.URL.Path, strings.NewReader(t))
			r2.Header = r.Header.Clone()
			return r2
		}},
		{"timestamp changed after signing", func(r *http.Request, body string) *http.Request {
			ts, _ := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
			r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts-1, 10))
			return r
		}},
		{"wrong secret", func(r *http.Request, body string) *http.Request {
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
			return r
		}},
		{"missing signature", func(r *http.Request, body string) *http.Request {
			r.Header.Del("X-Slack-Signature")
			return r
		}},
		{"missing timestamp", func(r *http.Request, body string) *http.Request {
			r.Header.Del("X-Slack-Request-Timestamp")
			return r
		}},
		{"no v0 prefix", func(r *http.Request, body string) *http.Request {
			r.Header.Set("X-Slack-Signature", strings.TrimPrefix(r.Header.Get("X-Slack-Signature"), "v0="))
			return r
		}},
		{"non-hex signature", func(r *http.Request, body string) *http.Request {
			r.Header.Set("X-Slack-Signature", "v0=zz")
			return r
		}},
	}
	for _, tc := range tests {
		for path, body := range bodies {
			t.Run(tc.name+path, func(t *testing.T) {
				r := tc.mutate(signed(path, formType, body), body)
				rec := httptest.NewRecorder()
				handlers[path].ServeHTTP(rec, r)
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", rec.Code)
				}
			})
		}
	}
	h.stop() // any wrongly queued work has run now
	if n := h.bot.n.Load(); n != 0 {
		t.Errorf("%d rejected requests reached the bot", n)
	}
	if calls := h.api.Calls(); len(calls) != 0 {
		t.Errorf("rejected requests caused %d calls to Slack: %+v", len(calls), calls)
	}
}

// TestSlashCommand: a signed slash command is answered in the response body,
// ephemeral, with Block Kit.
func TestSlashCommand(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		text      string
		header    string // first block's text, or ""
		wantText  string
		wantBtns  []string
		wantReqTx string
	}{
		{"Ballerina 2023", "Ballerina (2023) · film · TV-MA", "Not suitable for a 12-year-old", []string{"advisory.details", "advisory.share"}, "Ballerina 2023"},
		{"Ballerina", "", "Several titles are called", []string{"advisory.pick.0", "advisory.pick.1"}, "Ballerina"},
		{"is Ballerina ok for my 10 year old", "", "Several titles are called", []string{"advisory.pick.0", "advisory.pick.1"}, "is Ballerina ok for my 10 year old"},
		// Each age and topic gets its own answer.
		{"can my 10 year old watch Ballerina 2023", "Ballerina (2023) · film · TV-MA", "Not suitable for a 10-year-old", []string{"advisory.details", "advisory.share"}, "can my 10 year old watch Ballerina 2023"},
		{"how much swearing is in Ballerina 2023", "Language: severe", "Language: severe", []string{"advisory.details", "advisory.share"}, "how much swearing is in Ballerina 2023"},
		{"Ballerina (2023)", "Ballerina (2023) · film · TV-MA", "Not suitable for a 12-year-old", []string{"advisory.details", "advisory.share"}, "Ballerina (2023)"},
		{"Tom &amp; Jerry &lt;3", "", "Tom &amp; Jerry &lt;3", nil, "Tom & Jerry <3"},
		{"", "", "I tell you whether", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.a.Commands().ServeHTTP(rec, signed("/slack/commands", formType, commandBody(tc.text, h.api.ResponseURL("c"))))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			var got struct {
				ResponseType string           `json:"response_type"`
				Text         string           `json:"text"`
				Blocks       []map[string]any `json:"blocks"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
			}
			if got.ResponseType != "ephemeral" || !strings.Contains(got.Text, tc.wantText) || len(got.Blocks) == 0 {
				t.Errorf("got response_type %q text %q with %d blocks", got.ResponseType, got.Text, len(got.Blocks))
			}
			if tc.header != "" {
				if typ, _ := got.Blocks[0]["type"].(string); typ != "header" || !strings.Contains(rec.Body.String(), tc.header) {
					t.Errorf("first block %v, want header %q", got.Blocks[0], tc.header)
				}
			}
			if btns := actionIDs(got.Blocks); strings.Join(btns, ",") != strings.Join(tc.wantBtns, ",") {
				t.Errorf("buttons %v, want %v", btns, tc.wantBtns)
			}
			req := h.bot.last.Load()
			if req.Text != tc.wantReqTx || req.Kind != bot.KindCommand || req.UserID != "U1" || req.Community != "T1" || req.Platform != "slack" {
				t.Errorf("bot got %+v", *req)
			}
		})
	}
}

func actionIDs(blocks []map[string]any) []string {
	var ids []string
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			if m, ok := e.(map[string]any); ok && m["type"] == "button" {
				ids = append(ids, m["action_id"].(string))
			}
		}
	}
	return ids
}

// TestBadPayload: signed but undecodable bodies get 400, never a panic, and
// reach nothing.
func TestBadPayload(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, path, body string
		handler          http.Handler
	}{
		{"command without command", "/slack/commands", "text=Ballerina&user_id=U1", h.a.Commands()},
		{"command bad escape", "/slack/commands", "command=%2Fadvisory&user_id=U1&text=%zz", h.a.Commands()},
		{"event not json", "/slack/events", "{", h.a.Events()},
		{"event unknown type", "/slack/events", `{"type":"nope"}`, h.a.Events()},
		{"event callback without event", "/slack/events", `{"type":"event_callback","event_id":"E1"}`, h.a.Events()},
		{"event with wrong field type", "/slack/events", `{"type":"event_callback","event":{"type":"app_mention","text":5}}`, h.a.Events()},
		{"url_verification without challenge", "/slack/events", `{"type":"url_verification"}`, h.a.Events()},
		{"interaction without payload", "/slack/interactions", "foo=bar", h.a.Interactions()},
		{"interaction payload not json", "/slack/interactions", "payload=%7B", h.a.Interactions()},
		{"interaction bad button value", "/slack/interactions", clickBody("advisory.pick.0", "age=4", "", false), h.a.Interactions()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.handler.ServeHTTP(rec, signed(tc.path, formType, tc.body))
			if rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rec.Code)
			}
		})
	}
	t.Run("wrong method", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.a.Commands().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/slack/commands", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("status %d, want 405", rec.Code)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.a.Commands().ServeHTTP(rec, signed("/slack/commands", formType, "text="+strings.Repeat("a", 2<<20)))
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", rec.Code)
		}
	})
	t.Run("chunked body too large", func(t *testing.T) {
		rec := httptest.NewRecorder()
		r := signed("/slack/commands", formType, "text="+strings.Repeat("a", 2<<20))
		r.ContentLength = -1 // length unknown, as with Transfer-Encoding: chunked
		h.a.Commands().ServeHTTP(rec, r)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", rec.Code)
		}
	})
	h.stop()
	if n := h.bot.n.Load(); n != 0 {
		t.Errorf("%d bad requests reached the bot", n)
	}
}

// TestURLVerification answers Slack's challenge when the events URL is set up.
func TestURLVerification(t *testing.T) {
	h := newHarness(t)
	rec := httptest.NewRecorder()
	h.a.Events().ServeHTTP(rec, signed("/slack/events", "application/json",
		`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	if rec.Code != http.StatusOK || rec.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

// TestMentionThreadAndFollowUp: a mention is acked at once and answered in
// its thread by chat.postMessage; a follow-up in the thread is about the same
// title; a retry of the same event (X-Slack-Retry-Num) is answered once.
func TestMentionThreadAndFollowUp(t *testing.T) {
	h := newHarness(t)
	ctx := ctxTimeout(t)
	post := func(body string, retry int) {
		t.Helper()
		r := signed("/slack/events", "application/json", body)
		if retry > 0 {
			r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
			r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		rec := httptest.NewRecorder()
		h.a.Events().ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			t.Fatalf("ack %d", rec.Code)
		}
	}
	post(mentionBody("Ev1", "<@UBOT> is Ballerina 2023 ok for my 10 year old", "1700000000.000100", ""), 0)
	c, i, err := h.api.WaitCall(ctx, 0, slacktestws.Method("chat.postMessage"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Form.Get("channel") != "C1" || c.Form.Get("thread_ts") != "1700000000.000100" || !strings.Contains(c.Form.Get("text"), "Not suitable for a 10-year-old") {
		t.Errorf("answer posted as %v", c.Form)
	}
	if strings.Contains(c.Form.Get("blocks"), "advisory.share") {
		t.Error("an in-channel answer has a share button")
	}
	// Slack retries the same event: one answer only.
	post(mentionBody("Ev1", "<@UBOT> is Ballerina 2023 ok for my 10 year old", "1700000000.000100", ""), 1)
	post(mentionBody("Ev1", "<@UBOT> is Ballerina 2023 ok for my 10 year old", "1700000000.000100", ""), 2)
	// A follow-up in the thread names no title.
	post(mentionBody("Ev2", "<@UBOT> what about the language?", "1700000000.000300", "1700000000.000100"), 0)
	c, i, err = h.api.WaitCall(ctx, i+1, slacktestws.Method("chat.postMessage"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Form.Get("thread_ts") != "1700000000.000100" || !strings.HasPrefix(c.Form.Get("text"), "Ballerina (2023) · film · TV-MA") || !strings.Contains(c.Form.Get("text"), "Language: severe") {
		t.Errorf("follow-up answered as %v", c.Form)
	}
	h.stop()
	if n := len(h.api.Calls()); n != 2 || i != 1 {
		t.Errorf("%d calls to Slack, want 2 (retries answered once)", n)
	}
}

// TestDirectMessage: DMs are answered in a thread; the bot's own messages,
// edits and channel messages without a mention are ignored.
func TestDirectMessage(t *testing.T) {
	h := newHarness(t)
	ctx := ctxTimeout(t)
	send := func(eventID string, ev map[string]any) {
		b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": eventID, "event": ev})
		rec := httptest.NewRecorder()
		h.a.Events().ServeHTTP(rec, signed("/slack/events", "application/json", string(b)))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	}
	send("Ev0", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "bot_id": "B1", "text": "Ballerina", "ts": "1.1"})
	send("Ev1", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "subtype": "message_changed", "ts": "1.2"})
	send("Ev2", map[string]any{"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "text": "Ballerina", "ts": "1.3"})
	send("Ev3", map[string]any{"type": "reaction_added", "user": "U1"})
	send("Ev4", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "Ballerina", "ts": "1.4"})
	c, _, err := h.api.WaitCall(ctx, 0, slacktestws.Method("chat.postMessage"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Form.Get("channel") != "D1" || c.Form.Get("thread_ts") != "1.4" || !strings.Contains(c.Form.Get("blocks"), "advisory.pick.1") {
		t.Errorf("DM answered as %v", c.Form)
	}
	h.stop()
	if n := h.bot.n.Load(); n != 1 {
		t.Errorf("bot asked %d times, want 1", n)
	}
}

// TestButtons: a pick replaces the disambiguation through response_url (it
// was ephemeral) or chat.update (a message the bot posted); Details expands
// the message; Share posts in the channel and removes the ephemeral original.
func TestButtons(t *testing.T) {
	tests := []struct {
		name      string
		action    string
		value     string
		ephemeral bool
		want      []string // methods called, in order
		check     func(t *testing.T, calls []slacktestws.Call)
	}{
		{"pick ephemeral", "advisory.pick.1", "id=ballerina-2023&age=10", true, []string{"response_url"}, func(t *testing.T, c []slacktestws.Call) {
			if c[0].JSON["replace_original"] != true || !strings.Contains(c[0].JSON["text"].(string), "Not suitable for a 10-year-old") {
				t.Errorf("response_url got %v", c[0].JSON)
			}
			if !strings.Contains(mustJSON(c[0].JSON["blocks"]), "advisory.share") {
				t.Error("ephemeral answer lost its share button")
			}
		}},
		{"pick in thread", "advisory.pick.0", "id=ballerina-2016", false, []string{"chat.update"}, func(t *testing.T, c []slacktestws.Call) {
			if c[0].Form.Get("ts") != "1700000000.000200" || c[0].Form.Get("channel") != "C1" || !strings.HasPrefix(c[0].Form.Get("text"), "Ballerina (2016) · film · PG") {
				t.Errorf("chat.update got %v", c[0].Form)
			}
		}},
		{"details", "advisory.details", "id=ballerina-2023&age=12", true, []string{"response_url"}, func(t *testing.T, c []slacktestws.Call) {
			if b := mustJSON(c[0].JSON["blocks"]); !strings.Contains(b, "flamethrower") || strings.Contains(b, "advisory.details") {
				t.Errorf("details view %s", b)
			}
		}},
		{"share", "advisory.share", "id=ballerina-2023&age=12", true, []string{"response_url", "response_url"}, func(t *testing.T, c []slacktestws.Call) {
			if c[0].JSON["response_type"] != "in_channel" || strings.Contains(mustJSON(c[0].JSON["blocks"]), "advisory.share") {
				t.Errorf("share posted %v", c[0].JSON)
			}
			if c[1].JSON["delete_original"] != true {
				t.Errorf("then sent %v, want delete_original", c[1].JSON)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			ctx := ctxTimeout(t)
			rec := httptest.NewRecorder()
			h.a.Interactions().ServeHTTP(rec, signed("/slack/interactions", formType, clickBody(tc.action, tc.value, h.api.ResponseURL("r1"), tc.ephemeral)))
			if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Fatalf("ack %d %q", rec.Code, rec.Body)
			}
			if _, _, err := h.api.WaitCall(ctx, len(tc.want)-1, func(slacktestws.Call) bool { return true }); err != nil {
				t.Fatal(err)
			}
			h.stop()
			calls := h.api.Calls()
			var methods []string
			for _, c := range calls {
				methods = append(methods, c.Method)
			}
			if strings.Join(methods, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("calls %v, want %v", methods, tc.want)
			}
			tc.check(t, calls)
			if req := h.bot.last.Load(); req.Kind != bot.KindButton || req.Options == nil || req.Options.ID == "" {
				t.Errorf("bot got %+v", *req)
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestContentLength: answers carry a Content-Length and are never chunked,
// whether net/http computes it (small answers) or the adapter sets it.
func TestContentLength(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply bot.Reply
	}{
		{"small", bot.Reply{Status: bot.StatusHelp, Text: "help", Help: &bot.Help{Summary: "short"}}},
		{"large", bot.Reply{Status: bot.StatusHelp, Text: "help", Help: &bot.Help{Summary: strings.Repeat("long ", 1000)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := slackadapter.New(slackadapter.Config{Bot: cannedBot(tc.reply), SigningSecret: secret})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(a.Commands())
			defer srv.Close()
			body := commandBody("help", "https://hooks.slack.com/commands/T1/1/x")
			r := signed("/slack/commands", formType, body)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/slack/commands", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = r.Header
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || len(resp.TransferEncoding) > 0 || resp.ContentLength != int64(len(got)) {
				t.Errorf("status %d, transfer encoding %v, Content-Length %d for a %d-byte body", resp.StatusCode, resp.TransferEncoding, resp.ContentLength, len(got))
			}
			if tc.name == "large" && len(got) <= 2048 {
				t.Errorf("the large answer is only %d bytes", len(got))
			}
		})
	}
}
