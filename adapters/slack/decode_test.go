package slack_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	slackadapter "advisorybot/adapters/slack"
)

func TestDecodeCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want command // zero: an error is expected
	}{
		{"plain", "command=/advisory&user_id=U1&text=Ballerina",
			command{Command: "/advisory", UserID: "U1", Text: "Ballerina"}},
		{"escapes", "command=%2Fadvisory&user_id=U1&text=is+Ballerina+%E2%80%9Cok%E2%80%9D%3F&response_url=https%3A%2F%2Fhooks.slack.com%2Fx",
			command{Command: "/advisory", UserID: "U1", Text: "is Ballerina “ok”?", ResponseURL: "https://hooks.slack.com/x"}},
		{"every field it reads", "command=/a&text=t&user_id=U&team_id=T&channel_id=C&response_url=r&trigger_id=g&enterprise_id=E&api_app_id=A&token=x&user_name=u",
			command{Command: "/a", Text: "t", UserID: "U", TeamID: "T", ResponseURL: "r", TriggerID: "g"}},
		{"first value wins", "command=/a&text=first&user_id=U&text=second",
			command{Command: "/a", UserID: "U", Text: "first"}},
		{"escaped key", "comm%61nd=/a&user_id=U", command{Command: "/a", UserID: "U"}},
		{"empty pairs and keys", "&&=x&command=/a&&user_id=U&text", command{Command: "/a", UserID: "U"}},
		{"long text", "command=/a&user_id=U&text=" + strings.Repeat("ab+%C3%A9", 100),
			command{Command: "/a", UserID: "U", Text: strings.Repeat("ab é", 100)}},
		{"bad escape", "command=/a&user_id=U&text=100%", command{}},
		{"bad escape in another field", "command=/a&user_id=U&user_name=%zz", command{}},
		{"bad hex", "command=/a&user_id=U&text=%g1", command{}},
		{"no user", "command=/a&text=Ballerina", command{}},
		{"no command", "user_id=U&text=Ballerina", command{}},
		{"ssl check", "ssl_check=1&token=x", command{}},
		{"empty", "", command{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := slackadapter.DecodeCommand([]byte(tc.body))
			if tc.want == (command{}) {
				if err == nil {
					t.Fatalf("decoded %+v, want an error", got)
				}
				if errors.Unwrap(err) == nil {
					t.Errorf("error %v is not wrapped", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := commandOf(got); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// command is what a decoded slash command reads as, comparable in tests.
type command struct {
	Command, Text, UserID, TeamID, ResponseURL, TriggerID string
}

func commandOf(c slack.SlashCommand) command {
	return command{Command: c.Command, Text: c.Text, UserID: c.UserID, TeamID: c.TeamID, ResponseURL: c.ResponseURL, TriggerID: c.TriggerID}
}

// TestDecodeEvent: what slackevents.ParseEvent yields, for the envelope
// types the adapter handles, and errors for the rest.
func TestDecodeEvent(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		typ        string // "" for an error
		check      func(t *testing.T, ev slackevents.EventsAPIEvent)
	}{
		{"mention", mentionBody("Ev1", "<@UBOT> Ballerina", "1.1", ""), slackevents.CallbackEvent, func(t *testing.T, ev slackevents.EventsAPIEvent) {
			m, ok := ev.InnerEvent.Data.(*slackevents.AppMentionEvent)
			if !ok || m.Text != "<@UBOT> Ballerina" || ev.Data.(*slackevents.EventsAPICallbackEvent).EventID != "Ev1" || ev.TeamID != "T1" {
				t.Errorf("decoded %+v / %+v", ev, ev.InnerEvent.Data)
			}
		}},
		{"direct message", `{"type":"event_callback","team_id":"T1","event_id":"Ev2","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"Frozen","ts":"1.2"}}`,
			slackevents.CallbackEvent, func(t *testing.T, ev slackevents.EventsAPIEvent) {
				if m, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); !ok || m.ChannelType != "im" || m.Text != "Frozen" {
					t.Errorf("decoded %+v", ev.InnerEvent.Data)
				}
			}},
		{"url verification", `{"type":"url_verification","challenge":"c1","token":"t"}`, slackevents.URLVerification, func(t *testing.T, ev slackevents.EventsAPIEvent) {
			if v := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); v.Challenge != "c1" {
				t.Errorf("challenge %q", v.Challenge)
			}
		}},
		{"rate limited", `{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}`, slackevents.AppRateLimited, nil},
		{"not json", "{", "", nil},
		{"unknown type", `{"type":"nope"}`, "", nil},
		{"callback without event", `{"type":"event_callback","event_id":"E1"}`, "", nil},
		{"callback with a null event", `{"type":"event_callback","event":null}`, "", nil},
		{"wrong field type", `{"type":"event_callback","event":{"type":"app_mention","text":5}}`, "", nil},
		{"url verification without challenge", `{"type":"url_verification"}`, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := slackadapter.DecodeEvent([]byte(tc.body))
			if tc.typ == "" {
				if err == nil || errors.Unwrap(err) == nil {
					t.Fatalf("decoded %+v, %v; want a wrapped error", ev, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Type != tc.typ {
				t.Errorf("type %q, want %q", ev.Type, tc.typ)
			}
			if tc.check != nil {
				tc.check(t, ev)
			}
		})
	}
}
