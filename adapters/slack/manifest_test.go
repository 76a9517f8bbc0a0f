package slack_test

import (
	"os"
	"strings"
	"testing"

	slackadapter "advisorybot/adapters/slack"
)

// TestManifests keeps the app manifests in step with what the adapter
// needs: the command, the events it answers, the scopes it calls with, and
// in HTTP mode the paths serve registers.
func TestManifests(t *testing.T) {
	common := []string{
		"command: /advisory\n", "command: " + slackadapter.SettingsCommandName + "\n", "- app_mention", "- message.im",
		"- commands", "- chat:write", "- app_mentions:read", "- im:history", "- users:read",
		"messages_tab_enabled: true", "messages_tab_read_only_enabled: false", "is_enabled: true",
	}
	tests := []struct {
		file string
		want []string
		not  []string
	}{
		{"slack-app-manifest.yaml", append(common, "socket_mode_enabled: true"), []string{"request_url", "url:"}},
		{"slack-app-manifest-http.yaml", append(common, "socket_mode_enabled: false",
			"url: https://advisorybot.example.com/slack/commands",
			"request_url: https://advisorybot.example.com/slack/events",
			"request_url: https://advisorybot.example.com/slack/interactions"), nil},
	}
	for _, tc := range tests {
		b, err := os.ReadFile("../../deploy/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "\t") {
			t.Errorf("%s: YAML must not contain tabs", tc.file)
		}
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s lacks %q", tc.file, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(s, n) {
				t.Errorf("%s has %q", tc.file, n)
			}
		}
	}
}
