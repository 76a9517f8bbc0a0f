package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// FuzzEndpoints feeds arbitrary bodies, correctly signed, to the three
// endpoints: slack-go's parsers decode them, the adapter acts on what they
// yield, and every job it queues is run. Nothing panics; a body the parser
// rejects is a 400 that queues nothing; an answered slash command is JSON.
func FuzzEndpoints(f *testing.F) {
	f.Add(uint8(0), "command=%2Fadvisory&user_id=U1&team_id=T1&trigger_id=1.2.3&text=Ballerina+2023&response_url=https%3A%2F%2Fhooks.slack.com%2Fc")
	f.Add(uint8(0), "command=%2Fadvisory&user_id=U1&text=%E2%80%9CBallerina%E2%80%9D+%3C%21channel%3E")
	f.Add(uint8(0), "command=&&=&text=%")
	f.Add(uint8(0), "ssl_check=1&token=x")
	f.Add(uint8(1), `{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"app_mention","user":"U1","text":"<@UBOT> Ballerina","ts":"1.1","channel":"C1"}}`)
	f.Add(uint8(1), `{"type":"event_callback","event_id":"Ev2","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"help","ts":"1.2"}}`)
	f.Add(uint8(1), `{"type":"url_verification","challenge":"c"}`)
	f.Add(uint8(1), `{"type":"event_callback","event":{"type":"message","channel_type":"im","message":{"type":"x"}}}`)
	f.Add(uint8(1), `{"type":"event_callback","event":null}`)
	f.Add(uint8(2), `payload={"type":"block_actions","trigger_id":"1.2.4","user":{"id":"U1"},"response_url":"https://hooks.slack.com/a","container":{"channel_id":"C1","message_ts":"1.1"},"actions":[{"action_id":"advisory.pick.0","value":"id=ballerina-2016&age=10"}]}`)
	f.Add(uint8(2), `payload={"type":"block_actions","actions":[null,{"action_id":"advisory.share","value":"id=x"}]}`)
	f.Add(uint8(2), `payload={"type":"block_actions","state":{"values":{"b":{"a":{"type":"x"}}}}}`)
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		f.Fatal(err)
	}
	st := memory.New()
	fake := &fuzzSlack{}
	a, err := New(Config{Bot: bot.New(bot.Config{Catalog: live, Gate: st, Settings: st}),
		API: fake, HTTPClient: &http.Client{Transport: fake}, SigningSecret: "fuzz", Queue: 64})
	if err != nil {
		f.Fatal(err)
	}
	handlers := []http.Handler{a.Commands(), a.Events(), a.Interactions()}
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		b := []byte(body)
		var derr error
		switch kind % 3 {
		case 0:
			if !isSSLCheck(b) {
				_, derr = DecodeCommand(b)
			}
		case 1:
			_, derr = DecodeEvent(b)
		case 2:
			_, derr = DecodeInteraction(b)
		}
		rec := httptest.NewRecorder()
		handlers[kind%3].ServeHTTP(rec, signedFuzz("fuzz", body))
		switch {
		case derr != nil && rec.Code != http.StatusBadRequest:
			t.Errorf("decode error %v but status %d", derr, rec.Code)
		case derr == nil && rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest:
			// 400 is still possible after decoding: a bad button value.
			t.Errorf("status %d for a decodable body", rec.Code)
		case derr != nil && errors.Unwrap(derr) == nil:
			t.Errorf("decode error %v is not wrapped", derr)
		case kind%3 == 0 && rec.Code == http.StatusOK && rec.Body.Len() > 0 && !json.Valid(rec.Body.Bytes()):
			t.Errorf("slash command answered with %q", rec.Body)
		}
		for {
			select {
			case j := <-a.jobs:
				if derr != nil {
					t.Errorf("a rejected body queued %s", j.name)
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				_ = j.run(ctx) // a panic here fails the fuzz target
				cancel()
			default:
				return
			}
		}
	})
}

func signedFuzz(secret, body string) *http.Request {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	r := httptest.NewRequest(http.MethodPost, "/fuzz", strings.NewReader(body))
	r.Header.Set("Content-Type", formType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	return r
}

// fuzzSlack accepts every Web API call and response_url post, and checks
// that what the adapter would send is well formed.
type fuzzSlack struct{}

func (fuzzSlack) PostMessageContext(_ context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	_, _, err := slack.UnsafeApplyMsgOptions("xoxb-fuzz", channel, "https://slack.invalid/api/", opts...)
	return channel, "1.1", err
}

func (fuzzSlack) UpdateMessageContext(_ context.Context, channel, ts string, opts ...slack.MsgOption) (string, string, string, error) {
	_, _, err := slack.UnsafeApplyMsgOptions("xoxb-fuzz", channel, "https://slack.invalid/api/", opts...)
	return channel, ts, "", err
}

func (fuzzSlack) RoundTrip(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if !json.Valid(b) {
		return nil, errors.New("response_url body is not JSON")
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}
