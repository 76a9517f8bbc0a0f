package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixture returns a fixture review as generic JSON, to be broken by a test.
func fixture(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../testdata/reviews", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeJSON(t *testing.T, path string, m map[string]any) {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestValidateEveryProblem: one run lists every problem of every file, each
// line naming the file's path, the field and the problem.
func TestValidateEveryProblem(t *testing.T) {
	dir := t.TempDir()
	storm := fixture(t, "fixture-storm-harbor.json")
	storm["kind"] = "film"
	storm["year"] = "2019"
	storm["colour"] = "red"
	writeJSON(t, filepath.Join(dir, "fixture-storm-harbor.json"), storm)
	meadow := fixture(t, "fixture-meadow-friends.json")
	writeJSON(t, filepath.Join(dir, "meadow.json"), meadow) // named after no id
	writeJSON(t, filepath.Join(dir, "ballerina-2023.json"), fixture(t, "ballerina-2023.json"))
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{\n  \"id\": \"broken\",\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, "", nil, "validate", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	slices.Sort(lines)
	p := func(name string) string { return filepath.Join(dir, name) }
	want := []string{
		p("broken.json") + ": invalid JSON: unexpected EOF",
		p("fixture-storm-harbor.json") + ": field colour: unknown field (check its spelling against data/review.schema.json)",
		p("fixture-storm-harbor.json") + `: field kind: "film" is not one of: movie, series`,
		p("fixture-storm-harbor.json") + ": field year: has a string, want a whole number",
		p("meadow.json") + `: field id: "fixture-meadow-friends" does not match the file name meadow.json: name the file fixture-meadow-friends.json, or correct the id`,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("validate printed\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(errOut, dir+": 5 problem(s) in 3 file(s)") {
		t.Errorf("no summary on stderr: %s", errOut)
	}
}

func TestValidatePaths(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "fixture-meadow-friends.json")
	writeJSON(t, good, fixture(t, "fixture-meadow-friends.json"))
	misnamed := filepath.Join(dir, "other.json")
	writeJSON(t, misnamed, fixture(t, "fixture-meadow-friends.json"))
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string
	}{
		{"missing directory", []string{"validate", filepath.Join(dir, "nope")}, nil, 1, filepath.Join(dir, "nope") + " does not exist"},
		{"missing directory from the environment", []string{"validate"}, map[string]string{"ADVISORYBOT_DATA": filepath.Join(dir, "gone")}, 1, filepath.Join(dir, "gone") + " does not exist"},
		{"empty directory", []string{"validate", t.TempDir()}, nil, 1, "no review files (*.json) found"},
		{"one good file", []string{"validate", good}, nil, 0, good + ": OK"},
		{"one misnamed file", []string{"validate", misnamed}, nil, 1, misnamed + `: field id: "fixture-meadow-friends" does not match the file name other.json`},
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
