package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
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
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("listing review files: %w", err)
	}
	sort.Strings(names)
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

// Parse decodes and validates one review file. The returned errors are *FieldError.
func Parse(file string, data []byte) (*Review, []error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Review
	if err := dec.Decode(&r); err != nil {
		return nil, []error{decodeError(file, data, err)}
	}
	if dec.More() {
		return nil, []error{&FieldError{File: file, Problem: "trailing data after the review object"}}
	}
	// encoding/json matches names case-insensitively and lets a repeated
	// name overwrite the first: both hide a curator's mistake.
	if err := checkNames(file, data); err != nil {
		return nil, []error{err}
	}
	v := validator{file: file}
	v.review(&r)
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	return &r, nil
}

func decodeError(file string, data []byte, err error) error {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &typeErr):
		return &FieldError{File: file, Field: typeErr.Field, Problem: fmt.Sprintf("has a JSON %s, want %s", typeErr.Value, typeErr.Type)}
	case errors.As(err, &syntaxErr):
		line := 1 + bytes.Count(data[:min(int(syntaxErr.Offset), len(data))], []byte("\n"))
		return &FieldError{File: file, Problem: fmt.Sprintf("invalid JSON at line %d: %v", line, syntaxErr)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// The decoder names the field but not where it is: find its path.
		if fe := checkNames(file, data); fe != nil {
			return fe
		}
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &FieldError{File: file, Field: field, Problem: unknownField}
	case errors.Is(err, io.EOF):
		return &FieldError{File: file, Problem: "file is empty"}
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
	errs []error
}

func (v *validator) fail(field, format string, args ...any) {
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

// checkSet finds problems that only show across files: duplicate ids and
// duplicate (title, year) pairs, which would make search ambiguous for no reason.
func checkSet(files []string, reviews []*Review) []error {
	var errs []error
	byID := map[string]string{}
	byTitleYear := map[string]string{}
	for i, r := range reviews {
		file := files[i]
		if other, ok := byID[r.ID]; ok {
			errs = append(errs, &FieldError{File: file, Field: "id", Problem: fmt.Sprintf("duplicate id %q (also in %s)", r.ID, other)})
		}
		byID[r.ID] = file
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
