package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"advisorybot/bot/catalog"
	"advisorybot/data"
	"advisorybot/internal/syncbuf"
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
	for _, want := range []string{"Ballerina (2023) · film · TV-MA", "Not suitable for a 12-year-old", "Source: Curated parents' review"} {
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
	if code != 0 || !strings.Contains(out, "1. Ballerina (2016) · film · PG") {
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

// TestAskNeverSaysQuit: a one-shot question has no session to leave.
func TestAskNeverSaysQuit(t *testing.T) {
	for _, text := range []string{"", "help", "hello", "what about the language?", "Ballerina", "is Frozen ok for kids?"} {
		code, out, errOut := runCLI(t, "", nil, "ask", text)
		if code != 0 {
			t.Fatalf("ask %q: exit %d: %s", text, code, errOut)
		}
		if strings.Contains(strings.ToLower(out+errOut), "quit") {
			t.Errorf("ask %q mentions quit:\n%s%s", text, out, errOut)
		}
	}
	// The interactive session still says how to leave.
	if _, out, _ := runCLI(t, "help\n", nil, "chat"); !strings.Contains(out, "Type quit to leave.") {
		t.Errorf("chat's help does not say how to leave:\n%s", out)
	}
}

func TestLogLevel(t *testing.T) {
	tests := []struct {
		level string
		code  int
		debug bool // whether debug records are written
	}{
		{"", 0, false},
		{"debug", 0, true},
		{"DEBUG", 0, true},
		{"info", 0, false},
		{"warn", 0, false},
		{"error", 0, false},
		{"verbose", 1, false},
		{"3", 1, false},
		{"info-", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.level, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", map[string]string{"LOG_LEVEL": tc.level}, "version")
			if code != tc.code {
				t.Fatalf("LOG_LEVEL=%q: exit %d, want %d\n%s%s", tc.level, code, tc.code, out, errOut)
			}
			if tc.code != 0 {
				if out != "" || !strings.Contains(errOut, `LOG_LEVEL="`+tc.level+`": want debug, info, warn or error`) {
					t.Errorf("LOG_LEVEL=%q: stdout %q stderr %q; want only a clear error", tc.level, out, errOut)
				}
				return
			}
			l, err := logLevel(tc.level)
			if err != nil {
				t.Fatal(err)
			}
			if got := l <= slog.LevelDebug; got != tc.debug {
				t.Errorf("LOG_LEVEL=%q: level %v, debug enabled %v, want %v", tc.level, l, got, tc.debug)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	embedded, err := catalog.NewLive(data.Reviews())
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--version"}, nil, "catalog " + embedded.Current().Version() + " (embedded, 1 review(s))\n"},
		{[]string{"version"}, nil, "catalog " + embedded.Current().Version() + " (embedded, 1 review(s))\n"},
		{[]string{"version", "--data", "../../testdata/reviews"}, nil, "catalog " + fixtures.Current().Version() + " (../../testdata/reviews, 4 review(s))\n"},
		{[]string{"--version"}, map[string]string{"ADVISORYBOT_DATA": "../../testdata/reviews"}, "catalog " + fixtures.Current().Version() + " (../../testdata/reviews, 4 review(s))\n"},
	}
	for _, tc := range tests {
		code, out, errOut := runCLI(t, "", tc.env, tc.args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", tc.args, code, errOut)
		}
		first, rest, _ := strings.Cut(out, "\n")
		if !strings.HasPrefix(first, "advisorybot ") || !strings.Contains(first, runtime.Version()) {
			t.Errorf("%q: first line %q, want the program's version", tc.args, first)
		}
		if rest != tc.want {
			t.Errorf("%q: catalog line %q, want %q", tc.args, rest, tc.want)
		}
	}
	if code, _, errOut := runCLI(t, "", nil, "--version", "--data", t.TempDir()); code != 1 || !strings.Contains(errOut, "no review files") {
		t.Errorf("--version with an empty data directory: exit %d, %s", code, errOut)
	}
}

// buildBinary builds advisorybot, for tests of the process itself (signals,
// build information). Default flags, so that `go build ./...` and `go vet`
// have already compiled everything it needs.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "advisorybot")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building advisorybot: %v\n%s", err, out)
	}
	return bin
}

// waitOutput waits until buf holds want at least n times.
func waitOutput(t *testing.T, buf *syncbuf.Buffer, want string, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); strings.Count(buf.String(), want) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("no %q (×%d) in the output:\n%s", want, n, buf)
		}
		time.Sleep(5 * time.Millisecond) // a real process answers in its own time
	}
}

// TestBinary runs the built program: `chat` ends cleanly on Ctrl-C, SIGTERM
// and Ctrl-D, and --version reports the version the go command recorded.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)

	chat := func(t *testing.T, end func(*exec.Cmd, io.WriteCloser)) {
		cmd := exec.Command(bin, "chat", "--data", "../../testdata/reviews")
		cmd.Env = []string{}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, stderr := &syncbuf.Buffer{}, &syncbuf.Buffer{}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		defer stdin.Close()

		waitOutput(t, stdout, "> ", 1)
		if _, err := io.WriteString(stdin, "Ballerina 2023\n"); err != nil {
			t.Fatal(err)
		}
		waitOutput(t, stdout, "> ", 2)
		end(cmd, stdin)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("chat exited with %v; want a clean exit", err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("chat is still running:\n%s", stdout)
		}
		if !strings.Contains(stdout.String(), "Ballerina (2023) · film · TV-MA") || !strings.HasSuffix(stdout.String(), "\n> \nBye.\n") {
			t.Errorf("stdout does not end with a goodbye after the answer:\n%q", stdout)
		}
		if stderr.String() != "" {
			t.Errorf("chat wrote to stderr:\n%s", stderr)
		}
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run("chat ends on "+sig.String(), func(t *testing.T) {
			chat(t, func(cmd *exec.Cmd, _ io.WriteCloser) {
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
	t.Run("chat ends at end of input", func(t *testing.T) {
		chat(t, func(_ *exec.Cmd, stdin io.WriteCloser) { stdin.Close() })
	})

	t.Run("version", func(t *testing.T) {
		info, err := buildinfo.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		want := info.Main.Version
		if want == "" || want == "(devel)" {
			want = "devel"
		}
		cmd := exec.Command(bin, "--version")
		cmd.Env = []string{}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("--version: %v", err)
		}
		if first, _, _ := strings.Cut(string(out), "\n"); first != "advisorybot "+want+" ("+info.GoVersion+")" {
			t.Errorf("--version says %q; the binary records %s built with %s", first, want, info.GoVersion)
		}
	})
}
