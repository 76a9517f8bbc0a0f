package slack_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

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
		{"every field it reads, and some it skips", "command=/a&text=t&user_id=U&team_id=T&channel_id=C&response_url=r&trigger_id=g&enterprise_id=E&api_app_id=A&token=x&user_name=u",
			command{Command: "/a", Text: "t", UserID: "U", TeamID: "T", ResponseURL: "r"}},
		{"first value wins", "command=/a&text=first&user_id=U&text=second",
			command{Command: "/a", UserID: "U", Text: "first"}},
		{"escaped key", "comm%61nd=/a&user_id=U", command{Command: "/a", UserID: "U"}},
		{"empty pairs and keys", "&&=x&command=/a&&user_id=U&text", command{Command: "/a", UserID: "U"}},
		{"bad escape in an unread field", "command=/a&user_id=U&user_name=%zz", command{Command: "/a", UserID: "U"}},
		{"bad escape", "command=/a&user_id=U&text=100%", command{}},
		{"bad hex", "command=/a&user_id=U&text=%g1", command{}},
		{"no user", "command=/a&text=Ballerina", command{}},
		{"no command", "user_id=U&text=Ballerina", command{}},
		{"empty", "", command{}},
		// Longer than the decoder's stack buffer.
		{"long text", "command=/a&user_id=U&text=" + strings.Repeat("ab+%C3%A9", 100),
			command{Command: "/a", UserID: "U", Text: strings.Repeat("ab é", 100)}},
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
			if got := commandOf(t, got); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestDecodeCommandResponseURL: response_url is kept as sent and decoded
// when asked for, so a bad escape in it fails only then.
func TestDecodeCommandResponseURL(t *testing.T) {
	c, err := slackadapter.DecodeCommand([]byte("command=/a&user_id=U&response_url=https%3A%2F%2Fh%2Fx%zz"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.ResponseURL()
	if err == nil || errors.Unwrap(err) == nil {
		t.Errorf("ResponseURL() = %q, %v; want a wrapped error", u, err)
	}
}

// command is what a decoded slash command reads as, comparable in tests.
type command struct {
	Command, Text, UserID, TeamID, ResponseURL string
}

func commandOf(t testing.TB, c slackadapter.Command) command {
	t.Helper()
	u, err := c.ResponseURL()
	if err != nil {
		t.Fatalf("ResponseURL of %+v: %v", c, err)
	}
	return command{Command: c.Command, Text: c.Text, UserID: c.UserID, TeamID: c.TeamID, ResponseURL: u}
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
		want := command{
			Command: form.Get("command"), Text: form.Get("text"), UserID: form.Get("user_id"), TeamID: form.Get("team_id"),
			ResponseURL: form.Get("response_url"),
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
		if got := commandOf(t, got); got != want {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	})
}
