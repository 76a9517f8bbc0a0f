package catalog

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadErrors breaks one file of an otherwise valid directory in one way
// and checks that the error names that file, the field, and the problem.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		break_  func(t *testing.T, m map[string]any)
		raw     string // used instead of the broken fixture when set
		field   string
		problem string
	}{
		{name: "unknown top-level field", break_: func(t *testing.T, m map[string]any) { set(t, m, "titel", "X") },
			field: "titel", problem: "unknown field"},
		{name: "unknown nested field", break_: func(t *testing.T, m map[string]any) { set(t, m, "release.plaform", "Netflix") },
			field: "release.plaform", problem: "unknown field"},
		{name: "unknown field in a list", break_: func(t *testing.T, m map[string]any) {
			set(t, m, "credits.cast", []any{map[string]any{"name": "A"}, map[string]any{"nme": "B"}})
		}, field: "credits.cast[1].nme", problem: "unknown field"},
		{name: "unknown field in a concern", break_: func(t *testing.T, m map[string]any) { set(t, m, "concerns.violence.level", "mild") },
			field: "concerns.violence.level", problem: "unknown field"},
		{name: "field name in the wrong case", break_: func(t *testing.T, m map[string]any) {
			m["Title"] = m["title"]
			del(t, m, "title")
		}, field: "Title", problem: `write "title"`},
		{name: "field twice in one object", raw: `{"id": "x", "id": "y"}`,
			field: "id", problem: "appears twice"},
		{name: "missing title", break_: func(t *testing.T, m map[string]any) { del(t, m, "title") },
			field: "title", problem: "required"},
		{name: "blank title", break_: func(t *testing.T, m map[string]any) { set(t, m, "title", "   ") },
			field: "title", problem: "required"},
		{name: "missing id", break_: func(t *testing.T, m map[string]any) { del(t, m, "id") },
			field: "id", problem: "required"},
		{name: "bad id", break_: func(t *testing.T, m map[string]any) { set(t, m, "id", "Storm Harbor") },
			field: "id", problem: "lowercase words joined by hyphens"},
		{name: "missing year", break_: func(t *testing.T, m map[string]any) { del(t, m, "year") },
			field: "year", problem: "not a plausible release year"},
		{name: "missing concerns.frightening", break_: func(t *testing.T, m map[string]any) { del(t, m, "concerns.frightening") },
			field: "concerns.frightening", problem: `write severity "unknown"`},
		{name: "missing severity", break_: func(t *testing.T, m map[string]any) { del(t, m, "concerns.violence.severity") },
			field: "concerns.violence.severity", problem: "required"},
		{name: "missing note of a known concern", break_: func(t *testing.T, m map[string]any) { set(t, m, "concerns.violence.note", "") },
			field: "concerns.violence.note", problem: "required"},
		{name: "missing recommended_min_age", break_: func(t *testing.T, m map[string]any) { del(t, m, "recommended_min_age") },
			field: "recommended_min_age", problem: "required"},
		{name: "null recommended_min_age", break_: func(t *testing.T, m map[string]any) { set(t, m, "recommended_min_age", nil) },
			field: "recommended_min_age", problem: "required"},
		{name: "recommended_min_age out of range", break_: func(t *testing.T, m map[string]any) { set(t, m, "recommended_min_age", 40) },
			field: "recommended_min_age", problem: "outside 0-21"},
		{name: "missing source.name", break_: func(t *testing.T, m map[string]any) { del(t, m, "source.name") },
			field: "source.name", problem: "required"},
		{name: "missing source.reference", break_: func(t *testing.T, m map[string]any) { del(t, m, "source.reference") },
			field: "source.reference", problem: "required"},
		{name: "missing logline", break_: func(t *testing.T, m map[string]any) { del(t, m, "logline") },
			field: "logline", problem: "required"},
		{name: "missing runtime", break_: func(t *testing.T, m map[string]any) { del(t, m, "runtime_minutes") },
			field: "runtime_minutes", problem: "not a plausible runtime"},
		{name: "bad severity", break_: func(t *testing.T, m map[string]any) { set(t, m, "concerns.violence.severity", "extreme") },
			field: "concerns.violence.severity", problem: `"extreme" is not one of`},
		{name: "bad kind", break_: func(t *testing.T, m map[string]any) { set(t, m, "kind", "film") },
			field: "kind", problem: `"film" is not one of: movie, series`},
		{name: "missing kind", break_: func(t *testing.T, m map[string]any) { del(t, m, "kind") },
			field: "kind", problem: "required"},
		{name: "bad source kind", break_: func(t *testing.T, m map[string]any) { set(t, m, "source.kind", "blog") },
			field: "source.kind", problem: `"blog" is not one of`},
		{name: "bad count qualifier", break_: func(t *testing.T, m map[string]any) {
			set(t, m, "concerns.profanity.counts", []any{map[string]any{"what": "words", "count": 3, "qualifier": "roughly"}})
		}, field: "concerns.profanity.counts[0].qualifier", problem: `"roughly" is not one of`},
		{name: "negative count", break_: func(t *testing.T, m map[string]any) {
			set(t, m, "concerns.profanity.counts", []any{map[string]any{"what": "words", "count": -3, "qualifier": "about"}})
		}, field: "concerns.profanity.counts[0].count", problem: "negative"},
		{name: "bad rating value", break_: func(t *testing.T, m map[string]any) {
			set(t, m, "rating.system", "US-TV")
			set(t, m, "rating.value", "TV-QQ")
		}, field: "rating.value", problem: `unknown US-TV rating "TV-QQ"`},
		{name: "rating value of another system", break_: func(t *testing.T, m map[string]any) { set(t, m, "rating.value", "TV-MA") },
			field: "rating.value", problem: `unknown MPAA rating "TV-MA"`},
		{name: "bad rating system", break_: func(t *testing.T, m map[string]any) { set(t, m, "rating.system", "BBFCX") },
			field: "rating.system", problem: `unknown rating system "BBFCX"`},
		{name: "missing rating system", break_: func(t *testing.T, m map[string]any) { del(t, m, "rating.system") },
			field: "rating.system", problem: "unknown rating system"},
		{name: "rating value not in its official spelling", break_: func(t *testing.T, m map[string]any) { set(t, m, "rating.value", "pg-13") },
			field: "rating.value", problem: `must be written "PG-13"`},
		{name: "rating system not in its official spelling", break_: func(t *testing.T, m map[string]any) { set(t, m, "rating.system", "mpaa") },
			field: "rating.system", problem: `must be written "MPAA"`},
		{name: "bad date", break_: func(t *testing.T, m map[string]any) { set(t, m, "release.date", "2019-13-01") },
			field: "release.date", problem: "YYYY-MM-DD"},
		{name: "date in another format", break_: func(t *testing.T, m map[string]any) { set(t, m, "release.date", "October 6, 2023") },
			field: "release.date", problem: "YYYY-MM-DD"},
		{name: "missing date", break_: func(t *testing.T, m map[string]any) { del(t, m, "release.date") },
			field: "release.date", problem: "required"},
		{name: "fixture flag without fixture source", break_: func(t *testing.T, m map[string]any) { set(t, m, "fixture", false) },
			field: "fixture", problem: "exactly when"},
		{name: "wrong type", break_: func(t *testing.T, m map[string]any) { set(t, m, "year", "2019") },
			field: "year", problem: "has a string, want a whole number"},
		{name: "fraction for a whole number", break_: func(t *testing.T, m map[string]any) { set(t, m, "runtime_minutes", 95.5) },
			field: "runtime_minutes", problem: "has the number 95.5, want a whole number"},
		{name: "wrong nested type", break_: func(t *testing.T, m map[string]any) { set(t, m, "release.date", 20190101) },
			field: "release.date", problem: "has a number, want a string"},
		{name: "wrong type in a list", break_: func(t *testing.T, m map[string]any) { set(t, m, "themes", []any{"ok", 7}) },
			field: "themes[1]", problem: "has a number, want a string"},
		{name: "wrong type of a concern", break_: func(t *testing.T, m map[string]any) { set(t, m, "concerns.violence", "severe") },
			field: "concerns.violence", problem: "has a string, want an object"},
		{name: "object for a string", break_: func(t *testing.T, m map[string]any) { set(t, m, "title", map[string]any{"en": "X"}) },
			field: "title", problem: "has an object, want a string"},
		{name: "id not the file name", break_: func(t *testing.T, m map[string]any) { set(t, m, "id", "storm-harbor") },
			field: "id", problem: `"storm-harbor" does not match the file name fixture-storm-harbor.json: name the file storm-harbor.json`},
	}
	const goodFile, badFile = "fixture-meadow-friends.json", "fixture-storm-harbor.json"
	good := encode(t, reviewDoc(t, goodFile))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := []byte(tt.raw)
			if tt.raw == "" {
				m := reviewDoc(t, badFile)
				tt.break_(t, m)
				bad = encode(t, m)
			}
			c, err := Load(context.Background(), mapFS(map[string][]byte{goodFile: good, badFile: bad}))
			if err == nil {
				t.Fatalf("Load accepted the broken file (catalog of %d)", c.Len())
			}
			if c != nil {
				t.Errorf("Load returned a catalog with its error")
			}
			var found bool
			for _, fe := range fieldErrors(t, err) {
				if fe.File != badFile {
					t.Errorf("error about the good file: %v", fe)
				}
				if fe.Field == tt.field && strings.Contains(fe.Problem, tt.problem) {
					found = true
					if msg := fe.Error(); !strings.Contains(msg, badFile) || !strings.Contains(msg, tt.field) {
						t.Errorf("message %q does not name the file and the field", msg)
					}
				}
			}
			if !found {
				t.Errorf("no error on field %q with %q; got:\n%v", tt.field, tt.problem, err)
			}
		})
	}
}

// TestLoadFileErrors covers files that are not a review object at all.
func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name, data string
		problem    string
	}{
		{"empty file", "", "file is empty"},
		{"blank file", " \n\t\n", "file is empty"},
		{"invalid JSON on line 4", "{\n  \"id\": \"x\",\n  \"title\": \"X\"\n  \"year\": 2000\n}", "invalid JSON at line 4"},
		{"invalid JSON on line 1", "{id: 1}", "invalid JSON at line 1"},
		{"truncated", "{\n  \"id\": \"x\",\n", "invalid JSON"},
		{"array instead of object", "[1, 2]", "the file holds a list; a review file holds one object"},
		{"string instead of object", `"review"`, "the file holds a string"},
		{"two objects", `{"id": "x"} {"id": "y"}`, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), mapFS(map[string][]byte{"bad.json": []byte(tt.data)}))
			fes := fieldErrors(t, err)
			if len(fes) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(fes), err)
			}
			if fes[0].File != "bad.json" || !strings.Contains(fes[0].Problem, tt.problem) {
				t.Errorf("got %v, want bad.json: ...%s...", fes[0], tt.problem)
			}
			if !strings.HasPrefix(fes[0].Error(), "bad.json: ") {
				t.Errorf("message %q does not start with the file", fes[0].Error())
			}
		})
	}
}

func TestLoadNoFiles(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"empty directory":     {},
		"no json files":       {"README.md": {Data: []byte("# reviews")}},
		"json only in subdir": {"old/a.json": {Data: []byte("{}")}},
	} {
		_, err := Load(context.Background(), fsys)
		var fe *FieldError
		if !errors.As(err, &fe) || !strings.Contains(fe.Problem, "no review files") {
			t.Errorf("%s: Load error = %v, want no review files", name, err)
		}
	}
}

func TestLoadFileTooLarge(t *testing.T) {
	big := make([]byte, maxFileSize+1)
	for i := range big {
		big[i] = ' '
	}
	_, err := Load(context.Background(), mapFS(map[string][]byte{"huge.json": big}))
	fes := fieldErrors(t, err)
	if len(fes) != 1 || fes[0].File != "huge.json" || !strings.Contains(fes[0].Problem, "larger than") {
		t.Errorf("got %v", err)
	}
}

// TestLoadReportsEveryProblem: a curator sees all problems in one run,
// every problem of every file, each once.
func TestLoadReportsEveryProblem(t *testing.T) {
	m := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, m, "kind", "film")
	set(t, m, "concerns.violence.severity", "extreme")
	del(t, m, "source.name")
	set(t, m, "year", "2019")              // wrong type: reported once, not also as implausible
	set(t, m, "themes", []any{1, "ok", 2}) // two wrong types in one list
	set(t, m, "titel", "X")                // unknown field, beside every other problem
	m["Summary"] = m["summary"]            // wrong case
	del(t, m, "summary")
	other := reviewDoc(t, "fixture-meadow-friends.json")
	set(t, other, "id", "fixture-meadow")
	set(t, other, "runtime_minutes", 0)
	_, err := Load(context.Background(), mapFS(map[string][]byte{
		"fixture-storm-harbor.json":   encode(t, m),
		"b.json":                      []byte("{"),
		"fixture-meadow-friends.json": encode(t, other),
		"ballerina-2023.json":         encode(t, reviewDoc(t, "ballerina-2023.json")),
	}))
	var got []string
	for _, fe := range fieldErrors(t, err) {
		got = append(got, fe.File+" "+fe.Field)
	}
	slices.Sort(got)
	want := []string{
		"b.json ",
		"fixture-meadow-friends.json id",
		"fixture-meadow-friends.json runtime_minutes",
		"fixture-storm-harbor.json Summary",
		"fixture-storm-harbor.json concerns.violence.severity",
		"fixture-storm-harbor.json kind",
		"fixture-storm-harbor.json source.name",
		"fixture-storm-harbor.json themes[0]",
		"fixture-storm-harbor.json themes[2]",
		"fixture-storm-harbor.json titel",
		"fixture-storm-harbor.json year",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors on\n%s\nwant\n%s\nfull: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
	}
}

func TestLoadDuplicates(t *testing.T) {
	base := reviewDoc(t, "fixture-storm-harbor.json")
	tests := []struct {
		name    string
		change  func(t *testing.T, m map[string]any)
		field   string
		problem string
	}{
		{"same title and year", func(t *testing.T, m map[string]any) { set(t, m, "id", "other-id") },
			"title", "duplicate title and year"},
		{"same title and year, other case", func(t *testing.T, m map[string]any) {
			set(t, m, "id", "other-id")
			set(t, m, "title", "FIXTURE STORM HARBOR")
		}, "title", "(also in fixture-storm-harbor.json)"},
		{"same title and year, article moved", func(t *testing.T, m map[string]any) {
			set(t, m, "id", "other-id")
			set(t, m, "title", "Fixture Storm Harbor, The")
		}, "title", "duplicate title and year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := reviewDoc(t, "fixture-storm-harbor.json")
			tt.change(t, other)
			_, err := Load(context.Background(), mapFS(map[string][]byte{"fixture-storm-harbor.json": encode(t, base), "other-id.json": encode(t, other)}))
			fes := fieldErrors(t, err)
			if len(fes) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(fes), err)
			}
			if fes[0].File != "other-id.json" || fes[0].Field != tt.field || !strings.Contains(fes[0].Problem, tt.problem) {
				t.Errorf("got %v, want other-id.json: field %s: ...%s...", fes[0], tt.field, tt.problem)
			}
		})
	}
	// Same title in another year is a same-name title, not a duplicate.
	other := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, other, "id", "fixture-storm-harbor-2021")
	set(t, other, "year", 2021)
	c, err := Load(context.Background(), mapFS(map[string][]byte{"fixture-storm-harbor.json": encode(t, base), "fixture-storm-harbor-2021.json": encode(t, other)}))
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Search("Fixture Storm Harbor", 0); len(r.Hits) != 2 {
		t.Errorf("same-name titles: %d hits, want 2", len(r.Hits))
	}
}

func TestParseValid(t *testing.T) {
	for _, name := range []string{"ballerina-2016.json", "ballerina-2023.json", "fixture-meadow-friends.json", "fixture-storm-harbor.json"} {
		data, err := os.ReadFile(fixtureDir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		r, errs := Parse(name, data)
		if len(errs) > 0 || r == nil {
			t.Errorf("Parse(%s): %v", name, errs)
		}
	}
}

// TestFixturesLoad loads testdata/reviews: four reviews, every one but the
// copy of the shipped ballerina-2023 marked as a fixture.
func TestFixturesLoad(t *testing.T) {
	c, err := Load(context.Background(), os.DirFS(fixtureDir))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 4 {
		t.Errorf("Len = %d, want 4", c.Len())
	}
	for id, fixture := range map[string]bool{
		"ballerina-2023":         false,
		"ballerina-2016":         true,
		"fixture-meadow-friends": true,
		"fixture-storm-harbor":   true,
	} {
		r, ok := c.Review(id)
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if r.Fixture != fixture || (r.Source.Kind == "fixture") != fixture {
			t.Errorf("%s: fixture %v, source kind %q; want fixture %v", id, r.Fixture, r.Source.Kind, fixture)
		}
	}
	if _, ok := c.Review("no-such-id"); ok {
		t.Error("Review(no-such-id) found something")
	}
	// Same-name titles, by year; the alias finds the 2016 film alone.
	r := c.Search("Ballerina", 0)
	if len(r.Hits) != 2 || r.Hits[0].ID != "ballerina-2016" || r.Hits[1].ID != "ballerina-2023" {
		t.Errorf("Search(Ballerina) = %+v", r.Hits)
	}
	if r := c.Search("balerina", 2023); len(r.Hits) != 1 || r.Hits[0].ID != "ballerina-2023" {
		t.Errorf("Search(balerina, 2023) = %+v", r)
	}
	if r := c.Search("Leap", 0); len(r.Hits) != 1 || r.Hits[0].ID != "ballerina-2016" {
		t.Errorf("Search(Leap) = %+v", r.Hits)
	}
	if got := c.Prefix("fixture", 10); len(got) != 2 {
		t.Errorf("Prefix(fixture) = %+v", got)
	}
}

func TestVersion(t *testing.T) {
	const name = "fixture-storm-harbor.json"
	files := map[string][]byte{name: encode(t, reviewDoc(t, name))}
	c1, err := Load(context.Background(), mapFS(files))
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Load(context.Background(), mapFS(files))
	if c1.Version() == "" || c1.Version() != c2.Version() {
		t.Errorf("same content, versions %q and %q", c1.Version(), c2.Version())
	}
	m := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, m, "summary", "TEST FIXTURE: changed.")
	c3, err := Load(context.Background(), mapFS(map[string][]byte{name: encode(t, m)}))
	if err != nil {
		t.Fatal(err)
	}
	if c3.Version() == c1.Version() {
		t.Errorf("changed content kept version %q", c1.Version())
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	fsys := errFS{fstest.MapFS{"a.json": {Data: []byte("{}")}}}
	_, err := Load(context.Background(), fsys)
	fes := fieldErrors(t, err)
	if len(fes) != 1 || fes[0].File != "a.json" || !strings.Contains(fes[0].Problem, "opening") {
		t.Errorf("got %v", err)
	}
}

// errFS lists its files but cannot open them.
type errFS struct{ fstest.MapFS }

func (f errFS) Open(name string) (fs.File, error) {
	if name == "." {
		return f.MapFS.Open(name)
	}
	return nil, fs.ErrPermission
}
