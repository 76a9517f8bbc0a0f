package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

// TestSettingsCommandFile: show and set on a settings file, as serve reads
// it; a refused value exits non-zero and leaves the file as it was.
func TestSettingsCommandFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "settings.json")
	env := map[string]string{"ADVISORYBOT_SETTINGS_FILE": file, "ADVISORYBOT_COUNTRY": "gb"}

	code, out, errOut := runCLI(t, "", env, "settings", "discord:300000000000000003")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Settings for discord:300000000000000003:", "Age: 12 (default)", "Rating country: GB (default)", "Visibility: private (default)"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	for _, args := range [][]string{{"age", "10"}, {"country", "DE"}, {"visibility", "public"}} {
		code, out, errOut = runCLI(t, "", env, append([]string{"settings", "discord:300000000000000003"}, args...)...)
		if code != 0 || !strings.Contains(out, "Saved: ") {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		if !strings.Contains(errOut, "while serve is stopped") {
			t.Errorf("%v: no note that a running serve must be restarted:\n%s", args, errOut)
		}
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Profile{Age: 10, Country: "DE", Visibility: "public"}
	var profiles map[string]bot.Profile
	if err := json.Unmarshal(saved, &profiles); err != nil || profiles["discord:300000000000000003"] != want {
		t.Fatalf("settings file %s (%v), want %+v", saved, err, want)
	}

	code, out, errOut = runCLI(t, "", env, "settings", "discord:300000000000000003", "age", "18")
	if code != 1 || !strings.Contains(errOut, "18 is an adult's age") || !strings.Contains(errOut, "from 1 to 17") {
		t.Errorf("age 18: exit %d\n%s\n%s", code, out, errOut)
	}
	if after, _ := os.ReadFile(file); string(after) != string(saved) {
		t.Errorf("a refused value changed the file:\n%s", after)
	}

	code, out, errOut = runCLI(t, "", env, "settings", "--json", "discord:300000000000000003", "show")
	var r bot.Reply
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Status != bot.StatusSettings || r.Settings == nil {
		t.Fatalf("--json: exit %d\n%s\n%s", code, out, errOut)
	}
	if s, _ := r.Settings.Get(bot.SettingsAge); s.Value != "10" || s.Default {
		t.Errorf("--json age %+v", s)
	}
}

// TestSettingsCommandRedis: a change from the shell lands in Redis, where
// every replica reads it.
func TestSettingsCommandRedis(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"REDIS_URL": "redis://" + srv.Addr, "REDIS_PREFIX": "clitest:"}
	code, out, errOut := runCLI(t, "", env, "settings", "slack:T0123ABCD", "visibility", "public")
	if code != 0 || !strings.Contains(out, "Saved: Visibility: public") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "serve is stopped") {
		t.Errorf("a restart note with Redis:\n%s", errOut)
	}
	st, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}}, "clitest:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if p, ok, err := st.Profile(context.Background(), "slack:T0123ABCD"); err != nil || !ok || p.Visibility != "public" {
		t.Fatalf("in redis: %+v %v %v", p, ok, err)
	}
	code, out, _ = runCLI(t, "", env, "settings", "slack:T0123ABCD", "show")
	if code != 0 || !strings.Contains(out, "Visibility: public\n") || !strings.Contains(out, "Age: 12 (default)") {
		t.Errorf("show: exit %d\n%s", code, out)
	}
}

// TestSettingsCommandRedisDown: with Redis down the command refuses,
// rather than saving into the memory fallback that dies with it.
func TestSettingsCommandRedisDown(t *testing.T) {
	addr := freeAddr(t)
	code, out, errOut := runCLI(t, "", map[string]string{"REDIS_ADDRS": addr}, "settings", "slack:T1", "age", "9")
	if code != 1 || !strings.Contains(errOut, "redis is unavailable; nothing was read or changed") || strings.Contains(out, "Saved") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestSettingsCommandUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "settings.json")
	withFile := map[string]string{"ADVISORYBOT_SETTINGS_FILE": file}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // in stderr
	}{
		{"no community", withFile, nil, 2, "advisorybot settings [--json] <platform>:<community>"},
		{"no platform", withFile, []string{"300000000000000003"}, 2, "want <platform>:<community id>"},
		{"unknown platform", withFile, []string{"teams:1"}, 2, "the platform is discord or slack"},
		{"discord id with letters", withFile, []string{"discord:T1"}, 2, "all digits"},
		{"slack id in lower case", withFile, []string{"slack:t1"}, 2, "starting with T"},
		{"no store", nil, []string{"slack:T1"}, 1, "no settings store configured"},
		{"bad default country", map[string]string{"ADVISORYBOT_SETTINGS_FILE": file, "ADVISORYBOT_COUNTRY": "XX"}, []string{"slack:T1"}, 1, "ADVISORYBOT_COUNTRY"},
		{"unknown setting", withFile, []string{"slack:T1", "colour", "red"}, 1, "I have no setting called “colour”"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tc.env, append([]string{"settings"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q?\n%s", code, tc.code, tc.want, errOut)
			}
		})
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("refused commands wrote the settings file (%v)", err)
	}
}
