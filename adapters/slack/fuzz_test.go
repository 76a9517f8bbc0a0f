package slack_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	slackadapter "advisorybot/adapters/slack"
)

// FuzzDecode feeds arbitrary bodies, correctly signed, to the three payload
// decoders and HTTP endpoints: they never panic, and a body they cannot
// decode is a 400 that reaches nothing.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), commandBody("Ballerina 2023", "https://hooks.slack.com/commands/1/2/3"))
	f.Add(uint8(0), "command=%2Fadvisory&user_id=U1&text=%E2%80%9CBallerina%E2%80%9D+%3C%21channel%3E")
	f.Add(uint8(0), "command=&&=&text=%")
	f.Add(uint8(1), mentionBody("Ev1", "<@UBOT> Ballerina", "1.1", ""))
	f.Add(uint8(1), `{"type":"url_verification","challenge":"c"}`)
	f.Add(uint8(1), `{"type":"event_callback","event":{"type":"message","channel_type":"im","message":{"type":"x"}}}`)
	f.Add(uint8(1), `{"type":"event_callback","event":null}`)
	f.Add(uint8(2), clickBody("advisory.pick.0", "id=ballerina-2016&age=10", "https://hooks.slack.com/actions/1", true))
	f.Add(uint8(2), `payload={"type":"block_actions","actions":[null,{"action_id":"advisory.share","value":"id=x"}]}`)
	f.Add(uint8(2), `payload={"type":"block_actions","state":{"values":{"b":{"a":{"type":"x"}}}}}`)
	a, err := slackadapter.New(slackadapter.Config{Bot: &countingBot{next: newBot(f)}, SigningSecret: secret, Queue: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.Cleanup(cancel)
	go func() { _ = a.Run(ctx) }() // queued work fails fast: no Web API configured
	handlers := []http.Handler{a.Commands(), a.Events(), a.Interactions()}
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		b := []byte(body)
		var derr error
		switch kind % 3 {
		case 0:
			_, derr = slackadapter.DecodeCommand(b)
		case 1:
			_, derr = slackadapter.DecodeEvent(b)
		case 2:
			_, derr = slackadapter.DecodeInteraction(b)
		}
		rec := httptest.NewRecorder()
		handlers[kind%3].ServeHTTP(rec, signed("/fuzz", formType, body))
		switch {
		case derr != nil && rec.Code != http.StatusBadRequest:
			t.Errorf("decode error %v but status %d", derr, rec.Code)
		case derr == nil && rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest:
			// 400 is still possible after decoding: a bad button value.
			t.Errorf("status %d for a decodable body", rec.Code)
		}
		if derr != nil && errors.Unwrap(derr) == nil {
			t.Errorf("decode error %v is not wrapped", derr)
		}
	})
}
