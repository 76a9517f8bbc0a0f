package catalog

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// fixtureDir is the repository's test review directory.
const fixtureDir = "../../testdata/reviews"

// reviewDoc returns a fixture review as generic JSON, to be broken by a test.
func reviewDoc(t testing.TB, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(fixtureDir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// walk returns the container holding the last element of a dotted path
// ("credits.cast.0.name") and that element's key.
func walk(t testing.TB, m map[string]any, path string) (any, string) {
	t.Helper()
	parts := strings.Split(path, ".")
	var cur any = m
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, _ := strconv.Atoi(p)
			cur = c[i]
		default:
			t.Fatalf("path %s: %s is not a container", path, p)
		}
	}
	return cur, parts[len(parts)-1]
}

func set(t testing.TB, m map[string]any, path string, v any) {
	t.Helper()
	c, k := walk(t, m, path)
	switch c := c.(type) {
	case map[string]any:
		c[k] = v
	case []any:
		i, _ := strconv.Atoi(k)
		c[i] = v
	default:
		t.Fatalf("path %s: no container", path)
	}
}

func del(t testing.TB, m map[string]any, path string) {
	t.Helper()
	c, k := walk(t, m, path)
	mc, ok := c.(map[string]any)
	if !ok {
		t.Fatalf("path %s: not in an object", path)
	}
	if _, ok := mc[k]; !ok {
		t.Fatalf("path %s: nothing to delete", path)
	}
	delete(mc, k)
}

func encode(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mapFS(files map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

// fieldErrors unpacks a Load or Parse error into its *FieldError parts.
func fieldErrors(t testing.TB, err error) []*FieldError {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	out := make([]*FieldError, 0, len(errs))
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("error %v (%T) is not a *FieldError", e, e)
		}
		out = append(out, fe)
	}
	return out
}
