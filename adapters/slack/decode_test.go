package slack_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	slackadapter "advisorybot/adapters/slack"
)

func TestDecodeCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want slack.SlashCommand // zero: an error is expected
	}{
		{"plain", "command=/advisory&user_id=U1&text=Ballerina",
			slack.SlashCommand{Command: "/advisory", UserID: "U1", Text: "Ballerina"}},
		{"escapes", "command=%2Fadvisory&user_id=U1&text=is+Ballerina+%E2%80%9Cok%E2%80%9D%3F&response_url=https%3A%2F%2Fhooks.slack.com%2Fx",
			slack.SlashCommand{Command: "/advisory", UserID: "U1", Text: "is Ballerina “ok”?", ResponseURL: "https://hooks.slack.com/x"}},
		{"every field it reads, and some it skips", "command=/a&text=t&user_id=U&team_id=T&channel_id=C&response_url=r&trigger_id=g&enterprise_id=E&api_app_id=A&token=x&user_name=u",
			slack.SlashCommand{Command: "/a", Text: "t", UserID: "U", TeamID: "T", ChannelID: "C", ResponseURL: "r"}},
		{"first value wins", "command=/a&text=first&user_id=U&text=second",
			slack.SlashCommand{Command: "/a", UserID: "U", Text: "first"}},
		{"escaped key", "comm%61nd=/a&user_id=U", slack.SlashCommand{Command: "/a", UserID: "U"}},
		{"empty pairs and keys", "&&=x&command=/a&&user_id=U&text", slack.SlashCommand{Command: "/a", UserID: "U"}},
		{"bad escape in an unread field", "command=/a&user_id=U&user_name=%zz", slack.SlashCommand{Command: "/a", UserID: "U"}},
		{"bad escape", "command=/a&user_id=U&text=100%", slack.SlashCommand{}},
		{"bad hex", "command=/a&user_id=U&text=%g1", slack.SlashCommand{}},
		{"no user", "command=/a&text=Ballerina", slack.SlashCommand{}},
		{"no command", "user_id=U&text=Ballerina", slack.SlashCommand{}},
		{"empty", "", slack.SlashCommand{}},
		// Longer than the decoder's stack buffer.
		{"long text", "command=/a&user_id=U&text=" + strings.Repeat("ab+%C3%A9", 100),
			slack.SlashCommand{Command: "/a", UserID: "U", Text: strings.Repeat("ab é", 100)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := slackadapter.DecodeCommand([]byte(tc.body))
			if tc.want == (slack.SlashCommand{}) {
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
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// FuzzDecodeCommandMatchesParseQuery checks the hand-written form decoder
// against net/url: on every body url.ParseQuery accepts, it reads the same
// values (it may accept more: it does not read the fields it ignores).
func FuzzDecodeCommandMatchesParseQuery(f *testing.F) {
	f.Add(commandBody("Ballerina 2023", "https://hooks.slack.com/commands/1/2/3"))
	f.Add("command=%2Fadvisory&user_id=U1&text=%E2%80%9CBallerina%E2%80%9D+%3C%21channel%3E")
	f.Add("comm%61nd=/a&user_id=U&text=a&text=b")
	f.Add("command=/a&user_id=U&text=%")
	f.Fuzz(func(t *testing.T, body string) {
		got, err := slackadapter.DecodeCommand([]byte(body))
		form, perr := url.ParseQuery(body)
		if perr != nil {
			return
		}
		want := slack.SlashCommand{
			Command: form.Get("command"), Text: form.Get("text"), UserID: form.Get("user_id"), TeamID: form.Get("team_id"),
			ChannelID: form.Get("channel_id"), ResponseURL: form.Get("response_url"),
		}
		if want.Command == "" || want.UserID == "" {
			if err == nil {
				t.Fatalf("decoded %+v from a body without command or user_id", got)
			}
			return
		}
		if err != nil {
			t.Fatalf("url.ParseQuery reads %+v, DecodeCommand fails: %v", want, err)
		}
		if got != want {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	})
}
