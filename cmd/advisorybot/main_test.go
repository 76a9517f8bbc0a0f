package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command in-process with an empty environment plus env.
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

// TestReadmeAsk is the README's first command: the embedded catalog, no tokens, no Redis.
func TestReadmeAsk(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "ask", "Is Ballerina family-safe?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Ballerina (2023) · TV-MA", "Not suitable for a 12-year-old", "Source: Curated seed review"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestAskJSONContract pins the fields other tools rely on.
func TestAskJSONContract(t *testing.T) {
	tests := []struct {
		text   string
		status string
		match  bool
		intent string
		level  any
	}{
		{"can my 12 year old watch Ballerina (2023)?", "found", true, "family_check", "not_safe"},
		{"how much swearing is in Ballerina", "found", true, "topic", "not_safe"},
		{"is Frozen ok for kids?", "not_found", false, "family_check", "unknown"},
		{"", "help", false, "help", nil},
	}
	for _, tc := range tests {
		code, out, errOut := runCLI(t, "", nil, "ask", "--json", tc.text)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", tc.text, code, errOut)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%q: not JSON: %v\n%s", tc.text, err, out)
		}
		for _, k := range []string{"query", "status", "match", "candidates", "verdict", "text"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%q: JSON lacks %q", tc.text, k)
			}
		}
		q := got["query"].(map[string]any)
		for _, k := range []string{"intent", "title", "year", "age", "topic"} {
			if _, ok := q[k]; !ok {
				t.Errorf("%q: query lacks %q", tc.text, k)
			}
		}
		if got["status"] != tc.status || q["intent"] != tc.intent {
			t.Errorf("%q: status %v intent %v, want %s %s", tc.text, got["status"], q["intent"], tc.status, tc.intent)
		}
		if (got["match"] != nil) != tc.match {
			t.Errorf("%q: match %v, want present=%v", tc.text, got["match"], tc.match)
		}
		if _, isList := got["candidates"].([]any); !isList {
			t.Errorf("%q: candidates is %T, want a list", tc.text, got["candidates"])
		}
		var level any
		if v, ok := got["verdict"].(map[string]any); ok {
			level = v["level"]
			if _, ok := v["min_age"]; !ok {
				t.Errorf("%q: verdict lacks min_age", tc.text)
			}
			if _, ok := v["reasons"].([]any); !ok {
				t.Errorf("%q: verdict reasons is not a list", tc.text)
			}
		}
		if level != tc.level {
			t.Errorf("%q: verdict level %v, want %v", tc.text, level, tc.level)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "x.json"), []byte(`{"id":"x","title":"X","year":2020,"kind":"film","colour":"red"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string
	}{
		{"embedded", []string{"validate"}, nil, 0, "embedded: 1 review(s) OK"},
		{"shipped dir", []string{"validate", "../../data/reviews"}, nil, 0, "1 review(s) OK"},
		{"fixtures", []string{"validate", "../../testdata/reviews"}, nil, 0, "4 review(s) OK"},
		{"env dir", []string{"validate"}, map[string]string{"ADVISORYBOT_DATA": "../../testdata/reviews"}, 0, "4 review(s) OK"},
		{"bad file names file and field", []string{"validate", bad}, nil, 1, "x.json: field colour: unknown field"},
		{"missing dir", []string{"validate", filepath.Join(bad, "nope")}, nil, 1, "nope does not exist"},
		{"too many args", []string{"validate", "a", "b"}, nil, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.env, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tc.out) {
				t.Errorf("output lacks %q:\nstdout %s\nstderr %s", tc.out, out, errOut)
			}
		})
	}
}

func TestAskWithDataDirAndBadData(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "ask", "--data", "../../testdata/reviews", "Ballerina")
	if code != 0 || !strings.Contains(out, "1. Ballerina (2016) · PG") {
		t.Fatalf("exit %d, want a disambiguation list:\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "", nil, "ask", "--data", t.TempDir(), "Ballerina")
	if code != 1 || !strings.Contains(errOut, "no review files") {
		t.Fatalf("exit %d, want 1 with a clear error: %s", code, errOut)
	}
}

func TestChatCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "Ballerina\nwhat about drugs?\nquit\n", nil, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Alcohol, drugs & smoking: moderate\n  Adult characters smoke") {
		t.Errorf("follow-up not answered about the title just discussed:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"ask", "--nope"}} {
		code, _, errOut := runCLI(t, "", nil, args...)
		if code != 2 || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: exit %d, want 2 with usage; stderr %s", args, code, errOut)
		}
	}
}
