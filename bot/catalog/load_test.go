package catalog

import (
	"errors"
	"io/fs"
	"os"
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
			field: "year", problem: "has a JSON string, want int"},
		{name: "wrong nested type", break_: func(t *testing.T, m map[string]any) { set(t, m, "release.date", 20190101) },
			field: "release.date", problem: "has a JSON number, want string"},
		{name: "wrong type in a list", break_: func(t *testing.T, m map[string]any) { set(t, m, "themes", []any{"ok", 7}) },
			field: "themes", problem: "has a JSON number, want string"},
		{name: "wrong type of a concern", break_: func(t *testing.T, m map[string]any) { set(t, m, "concerns.violence", "severe") },
			field: "concerns.violence", problem: "has a JSON string"},
	}
	good := encode(t, reviewDoc(t, "fixture-meadow-friends.json"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := []byte(tt.raw)
			if tt.raw == "" {
				m := reviewDoc(t, "fixture-storm-harbor.json")
				tt.break_(t, m)
				bad = encode(t, m)
			}
			c, err := Load(mapFS(map[string][]byte{"a-good.json": good, "storm.json": bad}))
			if err == nil {
				t.Fatalf("Load accepted the broken file (catalog of %d)", c.Len())
			}
			if c != nil {
				t.Errorf("Load returned a catalog with its error")
			}
			var found bool
			for _, fe := range fieldErrors(t, err) {
				if fe.File != "storm.json" {
					t.Errorf("error about the good file: %v", fe)
				}
				if fe.Field == tt.field && strings.Contains(fe.Problem, tt.problem) {
					found = true
					if msg := fe.Error(); !strings.Contains(msg, "storm.json") || !strings.Contains(msg, tt.field) {
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
		{"array instead of object", "[1, 2]", "has a JSON array"},
		{"string instead of object", `"review"`, "has a JSON string"},
		{"two objects", `{"id": "x"} {"id": "y"}`, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(map[string][]byte{"bad.json": []byte(tt.data)}))
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
		_, err := Load(fsys)
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
	_, err := Load(mapFS(map[string][]byte{"huge.json": big}))
	fes := fieldErrors(t, err)
	if len(fes) != 1 || fes[0].File != "huge.json" || !strings.Contains(fes[0].Problem, "larger than") {
		t.Errorf("got %v", err)
	}
}

// TestLoadReportsEveryProblem: a curator sees all problems in one run.
func TestLoadReportsEveryProblem(t *testing.T) {
	m := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, m, "kind", "film")
	set(t, m, "concerns.violence.severity", "extreme")
	del(t, m, "source.name")
	_, err := Load(mapFS(map[string][]byte{
		"a.json": encode(t, m),
		"b.json": []byte("{"),
		"c.json": encode(t, reviewDoc(t, "fixture-meadow-friends.json")),
	}))
	got := map[string]bool{}
	for _, fe := range fieldErrors(t, err) {
		got[fe.File+" "+fe.Field] = true
	}
	for _, want := range []string{"a.json kind", "a.json concerns.violence.severity", "a.json source.name", "b.json "} {
		if !got[want] {
			t.Errorf("missing error %q; got %v", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("got %d errors, want 4: %v", len(got), err)
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
		{"same id", func(t *testing.T, m map[string]any) { set(t, m, "title", "Another Title") },
			"id", `duplicate id "fixture-storm-harbor" (also in a.json)`},
		{"same title and year", func(t *testing.T, m map[string]any) { set(t, m, "id", "other-id") },
			"title", "duplicate title and year"},
		{"same title and year, other case", func(t *testing.T, m map[string]any) {
			set(t, m, "id", "other-id")
			set(t, m, "title", "FIXTURE STORM HARBOR")
		}, "title", "(also in a.json)"},
		{"same title and year, article moved", func(t *testing.T, m map[string]any) {
			set(t, m, "id", "other-id")
			set(t, m, "title", "Fixture Storm Harbor, The")
		}, "title", "duplicate title and year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := reviewDoc(t, "fixture-storm-harbor.json")
			tt.change(t, other)
			_, err := Load(mapFS(map[string][]byte{"a.json": encode(t, base), "b.json": encode(t, other)}))
			fes := fieldErrors(t, err)
			if len(fes) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(fes), err)
			}
			if fes[0].File != "b.json" || fes[0].Field != tt.field || !strings.Contains(fes[0].Problem, tt.problem) {
				t.Errorf("got %v, want b.json: field %s: ...%s...", fes[0], tt.field, tt.problem)
			}
		})
	}
	// Same title in another year is a same-name title, not a duplicate.
	other := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, other, "id", "fixture-storm-harbor-2021")
	set(t, other, "year", 2021)
	c, err := Load(mapFS(map[string][]byte{"a.json": encode(t, base), "b.json": encode(t, other)}))
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
	c, err := Load(os.DirFS(fixtureDir))
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
	files := map[string][]byte{"a.json": encode(t, reviewDoc(t, "fixture-storm-harbor.json"))}
	c1, err := Load(mapFS(files))
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Load(mapFS(files))
	if c1.Version() == "" || c1.Version() != c2.Version() {
		t.Errorf("same content, versions %q and %q", c1.Version(), c2.Version())
	}
	m := reviewDoc(t, "fixture-storm-harbor.json")
	set(t, m, "summary", "TEST FIXTURE: changed.")
	c3, err := Load(mapFS(map[string][]byte{"a.json": encode(t, m)}))
	if err != nil {
		t.Fatal(err)
	}
	if c3.Version() == c1.Version() {
		t.Errorf("changed content kept version %q", c1.Version())
	}
	// Renaming a file changes the version too.
	c4, _ := Load(mapFS(map[string][]byte{"b.json": files["a.json"]}))
	if c4.Version() == c1.Version() {
		t.Error("renamed file kept the version")
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	fsys := errFS{fstest.MapFS{"a.json": {Data: []byte("{}")}}}
	_, err := Load(fsys)
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
