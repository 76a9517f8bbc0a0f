package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"advisorybot/bot/rating"
	"advisorybot/bot/search"
)

// FieldError is one problem in one data file, named precisely enough for a curator to fix it.
type FieldError struct {
	File    string
	Field   string
	Problem string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("%s: field %s: %s", e.File, e.Field, e.Problem)
}

// maxFileSize bounds a review file; curated reviews are a few KB.
const maxFileSize = 1 << 20

// Load reads every *.json file in the root of fsys, validates each review and
// the set as a whole, and returns the catalog. All problems are reported
// together (errors.Join of *FieldError) so a curator sees them in one run.
//
// Only regular files, or links to them, are read: opening a named pipe
// would wait for a writer forever. ctx is checked between files; a read
// that blocks all the same is bounded by Live.Reload's deadline.
func Load(ctx context.Context, fsys fs.FS) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("listing review files: %w", err)
	}
	var names []string // sorted, as ReadDir returns them
	for _, e := range entries {
		if ok, _ := path.Match("*.json", e.Name()); ok {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, &FieldError{File: ".", Problem: "no review files (*.json) found"}
	}
	var (
		problems []error
		reviews  []*Review
		files    []string // files[i] holds reviews[i]
		hash     = sha256.New()
	)
	for _, name := range names {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("loading review files: stopped before %s: %w", name, context.Cause(ctx))
		}
		data, err := readFile(fsys, name)
		if err != nil {
			problems = append(problems, &FieldError{File: name, Problem: err.Error()})
			continue
		}
		// Length-prefixed, so that no two file sets hash the same input.
		fmt.Fprintf(hash, "%d:%s%d:", len(name), name, len(data))
		hash.Write(data)
		r, errs := Parse(name, data)
		if len(errs) > 0 {
			problems = append(problems, errs...)
			continue
		}
		reviews = append(reviews, r)
		files = append(files, name)
	}
	problems = append(problems, checkSet(files, reviews)...)
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return New(reviews, hex.EncodeToString(hash.Sum(nil))[:16]), nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name) // follows links
	if err != nil {
		return nil, fmt.Errorf("cannot read it: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("is %s, not a regular file: only regular files (or links to them) are read", modeName(fi.Mode()))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("opening: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", maxFileSize)
	}
	return data, nil
}

// modeName names a kind of file that is not a regular one.
func modeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// Parse decodes and validates one review file: every problem it finds is
// returned, each a *FieldError. The review's id must match the file's name
// (ballerina-2023.json holds ballerina-2023).
func Parse(file string, data []byte) (*Review, []error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []error{&FieldError{File: file, Problem: "file is empty"}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, []error{syntaxError(file, data, err)}
	}
	if dec.More() {
		return nil, []error{&FieldError{File: file, Problem: "trailing data after the review object"}}
	}
	errs, bad := checkShape(file, raw)
	if bad[""] {
		return nil, errs // not an object at all
	}
	var r Review
	// Values of the wrong type were reported by checkShape: decoding skips
	// them and fills every other field, so validation still sees those.
	if err := json.Unmarshal(raw, &r); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			errs = append(errs, &FieldError{File: file, Problem: fmt.Sprintf("invalid JSON: %v", err)})
		}
	}
	v := validator{file: file, skip: bad}
	v.review(&r)
	if want := strings.TrimSuffix(path.Base(file), ".json"); idPattern.MatchString(r.ID) && r.ID != want {
		v.fail("id", "%q does not match the file name %s: name the file %s.json, or correct the id", r.ID, path.Base(file), r.ID)
	}
	errs = append(errs, v.errs...)
	if len(errs) > 0 {
		return nil, errs
	}
	return &r, nil
}

func syntaxError(file string, data []byte, err error) error {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		line := 1 + bytes.Count(data[:min(int(syntaxErr.Offset), len(data))], []byte("\n"))
		return &FieldError{File: file, Problem: fmt.Sprintf("invalid JSON at line %d: %v", line, syntaxErr)}
	}
	return &FieldError{File: file, Problem: fmt.Sprintf("invalid JSON: %v", err)}
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	kinds       = []string{"movie", "series"}
	sourceKinds = []string{"curated_review", "fixture"}
	qualifiers  = []string{"exactly", "about", "over", "under"}
)

type validator struct {
	file string
	skip map[string]bool // values of the wrong type, already reported
	errs []error
}

func (v *validator) fail(field, format string, args ...any) {
	if covered(v.skip, field) {
		return
	}
	v.errs = append(v.errs, &FieldError{File: v.file, Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.fail(field, "required field is missing or empty")
	}
}

func (v *validator) oneOf(field, value string, allowed []string) {
	if value == "" {
		v.fail(field, "required field is missing or empty (one of: %s)", strings.Join(allowed, ", "))
	} else if !slices.Contains(allowed, value) {
		v.fail(field, "%q is not one of: %s", value, strings.Join(allowed, ", "))
	}
}

func (v *validator) review(r *Review) {
	v.required("id", r.ID)
	if r.ID != "" && !idPattern.MatchString(r.ID) {
		v.fail("id", "%q must be lowercase words joined by hyphens, e.g. ballerina-2023", r.ID)
	}
	v.required("title", r.Title)
	for i, a := range r.AKA {
		v.required(fmt.Sprintf("aka[%d]", i), a)
	}
	if r.Year < 1888 || r.Year > 2100 {
		v.fail("year", "%d is not a plausible release year (1888-2100)", r.Year)
	}
	v.oneOf("kind", r.Kind, kinds)
	if r.Release.Date != "" {
		if _, err := time.Parse(time.DateOnly, r.Release.Date); err != nil {
			v.fail("release.date", "%q is not a date in YYYY-MM-DD form", r.Release.Date)
		}
	} else {
		v.fail("release.date", "required field is missing or empty")
	}
	if r.RuntimeMinutes <= 0 || r.RuntimeMinutes > 1000 {
		v.fail("runtime_minutes", "%d is not a plausible runtime in minutes", r.RuntimeMinutes)
	}
	if rt, err := rating.Lookup(rating.System(r.Rating.System), r.Rating.Value); err != nil {
		field := "rating.value"
		if !slices.ContainsFunc(rating.Systems(), func(s rating.System) bool { return strings.EqualFold(string(s), r.Rating.System) }) {
			field = "rating.system"
		}
		v.fail(field, "%v", err)
	} else {
		// Lookup forgives case; the file must use the official spelling,
		// which is what replies show.
		if string(rt.System) != r.Rating.System {
			v.fail("rating.system", "%q must be written %q", r.Rating.System, rt.System)
		}
		if rt.Value != r.Rating.Value {
			v.fail("rating.value", "%q must be written %q", r.Rating.Value, rt.Value)
		}
	}
	v.required("logline", r.Logline)
	v.required("summary", r.Summary)
	for _, cat := range Categories() {
		v.concern("concerns."+string(cat), r.Concerns.Get(cat))
	}
	if r.RecommendedMinAge == nil {
		v.fail("recommended_min_age", "required field is missing (use the reviewer's recommended minimum age)")
	} else if a := *r.RecommendedMinAge; a < 0 || a > 21 {
		v.fail("recommended_min_age", "%d is outside 0-21", a)
	}
	v.required("source.name", r.Source.Name)
	v.oneOf("source.kind", r.Source.Kind, sourceKinds)
	v.required("source.reference", r.Source.Reference)
	if r.Fixture != (r.Source.Kind == "fixture") {
		v.fail("fixture", "fixture must be true exactly when source.kind is \"fixture\"")
	}
}

func (v *validator) concern(field string, c *Concern) {
	if c == nil {
		v.fail(field, "required field is missing (write severity \"unknown\" when the source does not say)")
		return
	}
	if c.Severity == "" {
		v.fail(field+".severity", "required field is missing or empty")
	} else if !c.Severity.valid() {
		v.fail(field+".severity", "%q is not one of: unknown, none, mild, moderate, severe", c.Severity)
	}
	if c.Severity != SeverityUnknown && c.Severity != SeverityNone {
		v.required(field+".note", c.Note)
	}
	for i, n := range c.Counts {
		f := fmt.Sprintf("%s.counts[%d]", field, i)
		v.required(f+".what", n.What)
		if n.Count < 0 {
			v.fail(f+".count", "%d is negative", n.Count)
		}
		v.oneOf(f+".qualifier", n.Qualifier, qualifiers)
	}
}

// checkSet finds problems that only show across files: duplicate (title,
// year) pairs, which would make search ambiguous for no reason. Ids cannot
// repeat: each is its file's name.
func checkSet(files []string, reviews []*Review) []error {
	var errs []error
	byTitleYear := map[string]string{}
	for i, r := range reviews {
		file := files[i]
		// Titles compare as search compares them: "The Lion King" and
		// "Lion King, The" of one year could never be told apart.
		key := fmt.Sprintf("%s|%d", search.Normalize(r.Title), r.Year)
		if other, ok := byTitleYear[key]; ok {
			errs = append(errs, &FieldError{File: file, Field: "title", Problem: fmt.Sprintf("duplicate title and year %q (%d) (also in %s)", r.Title, r.Year, other)})
		}
		byTitleYear[key] = file
	}
	return errs
}
