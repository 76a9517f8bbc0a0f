package catalog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"advisorybot/data"
)

// FuzzParseReview: Parse never panics, returns a review or errors but not
// both, and every error is a *FieldError naming the file, reported once.
func FuzzParseReview(f *testing.F) {
	real, err := fs.ReadFile(data.Reviews(), "ballerina-2023.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	names, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "{", "[]", "null", `{"id":"x","id":"y"}`, `{"Title":"x"}`, `{"release":{"date":1}}`, `{"credits":{"cast":[{"nme":1}]}}`, "{}\n{}", `{"year":"2019","themes":[1,"a",{}],"concerns":{"violence":"x"}}`, `{"runtime_minutes":95.5,"fixture":"yes"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, errs := Parse("fuzz.json", b)
		if (r == nil) == (len(errs) == 0) {
			t.Fatalf("Parse returned review %v and %d errors", r != nil, len(errs))
		}
		seen := map[FieldError]bool{}
		for _, e := range errs {
			var fe *FieldError
			if !errors.As(e, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", e, e)
			}
			if fe.File != "fuzz.json" || fe.Problem == "" {
				t.Fatalf("error %+v does not name the file and a problem", fe)
			}
			if seen[*fe] {
				t.Fatalf("error %q reported twice", fe)
			}
			seen[*fe] = true
		}
		if r != nil {
			// What Parse accepts, the catalog can use.
			for _, cat := range Categories() {
				if r.Concerns.Get(cat) == nil {
					t.Fatalf("accepted review lacks %s", cat)
				}
			}
			if r.RecommendedMinAge == nil || r.ID == "" || r.Title == "" {
				t.Fatalf("accepted review lacks required fields: %+v", r)
			}
			New([]*Review{r}, "fuzz").Search(r.Title, r.Year)
		}
	})
}
