package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

const unknownField = "unknown field (check its spelling against data/review.schema.json)"

// shape is what checkShape found in one file.
type shape struct {
	file string
	dec  *json.Decoder
	errs []error
	// bad holds the paths of values of the wrong JSON type: decoding skips
	// them, and validation must not report them a second time as missing.
	bad map[string]bool
}

// checkShape walks data, which must be valid JSON, alongside the Review
// type. It returns a *FieldError for every name that is not a field,
// differs from its field only in case, or repeats within one object
// (encoding/json would accept each silently), and for every value of the
// wrong JSON type (encoding/json reports only the first). Each names the
// full path ("credits.cast[1].nme").
func checkShape(file string, data []byte) (errs []error, bad map[string]bool) {
	s := &shape{file: file, dec: json.NewDecoder(bytes.NewReader(data)), bad: map[string]bool{}}
	s.dec.UseNumber()
	_ = s.value(reflect.TypeFor[Review](), "") // data is valid JSON: reading cannot fail
	return s.errs, s.bad
}

// covered reports whether field is, or is inside, a value of the wrong type.
func covered(bad map[string]bool, field string) bool {
	for p := range bad {
		if field == p || p == "" || strings.HasPrefix(field, p+".") || strings.HasPrefix(field, p+"[") {
			return true
		}
	}
	return false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (s *shape) fail(path, format string, args ...any) {
	s.errs = append(s.errs, &FieldError{File: s.file, Field: path, Problem: fmt.Sprintf(format, args...)})
}

// value reads one JSON value that decodes into Go type t.
func (s *shape) value(t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := s.dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch {
		case v == '{' && t.Kind() == reflect.Struct:
			return s.object(t, path)
		case v == '[' && t.Kind() == reflect.Slice:
			return s.list(t, path)
		}
		got := "an object"
		if v == '[' {
			got = "a list"
		}
		s.wrongType(path, got, t)
		return s.skip()
	case nil:
		// null leaves the zero value: validation says whether it was required.
	case string:
		if t.Kind() != reflect.String {
			s.wrongType(path, "a string", t)
		}
	case bool:
		if t.Kind() != reflect.Bool {
			s.wrongType(path, "true or false", t)
		}
	case json.Number:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if _, err := v.Int64(); err != nil {
				s.wrongType(path, "the number "+v.String(), t)
			}
		case reflect.Float32, reflect.Float64:
		default:
			s.wrongType(path, "a number", t)
		}
	}
	return nil
}

func (s *shape) wrongType(path, got string, want reflect.Type) {
	s.bad[path] = true
	if path == "" {
		s.fail(path, "the file holds %s; a review file holds one object ({...})", got)
		return
	}
	s.fail(path, "has %s, want %s", got, jsonKind(want))
}

// jsonKind names what a Go type is written as in JSON.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

func (s *shape) object(t reflect.Type, path string) error {
	seen := map[string]bool{}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		f, exact := fieldByName(t, name)
		p := join(path, name)
		if name == "" {
			p = join(path, `""`)
		}
		switch {
		case seen[name]:
			if f != nil {
				s.fail(p, "appears twice in one object (the second would silently win)")
			} // an unknown name is reported once
		case f == nil:
			s.fail(p, unknownField)
		case !exact:
			s.fail(p, "unknown field: names are case-sensitive, write %q", jsonName(*f))
		}
		seen[name] = true
		if f == nil {
			err = s.skipValue()
		} else {
			err = s.value(f.Type, p)
		}
		if err != nil {
			return err
		}
	}
	_, err := s.dec.Token() // }
	return err
}

func (s *shape) list(t reflect.Type, path string) error {
	for i := 0; s.dec.More(); i++ {
		if err := s.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	_, err := s.dec.Token() // ]
	return err
}

// skipValue reads one value of an unknown field.
func (s *shape) skipValue() error {
	tok, err := s.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return s.skip()
	}
	return nil
}

// skip reads to the end of a container whose opening was just read.
func (s *shape) skip() error {
	for depth := 1; depth > 0; {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// fieldByName finds the struct field a JSON name decodes into, and whether
// the name matches exactly rather than only ignoring case.
func fieldByName(t reflect.Type, name string) (*reflect.StructField, bool) {
	var folded *reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		n := jsonName(f)
		if n == "-" {
			continue
		}
		if n == name {
			return &f, true
		}
		if folded == nil && strings.EqualFold(n, name) {
			folded = &f
		}
	}
	return folded, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}
