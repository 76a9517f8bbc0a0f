package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

const unknownField = "unknown field (check its spelling against data/review.schema.json)"

// checkNames walks the JSON objects of data alongside the Review type and
// returns a *FieldError for the first name that is not a field, differs from
// its field only in case, or repeats within one object. The error names the
// full path ("credits.cast[1].nme"). data must already decode into a Review;
// checkNames returns nil when it finds nothing (or cannot read the data).
func checkNames(file string, data []byte) *FieldError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	fe, _ := walkNames(dec, reflect.TypeFor[Review](), "", file)
	return fe
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// walkNames reads one JSON value of Go type t. The error result is a read
// failure, after which the walk stops without a finding.
func walkNames(dec *json.Decoder, t reflect.Type, path, file string) (*FieldError, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil, nil // a scalar or null
	}
	switch {
	case delim == '{' && t.Kind() == reflect.Struct:
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := tok.(string)
			f, exact := fieldByName(t, name)
			switch {
			case f == nil:
				return &FieldError{File: file, Field: join(path, name), Problem: unknownField}, nil
			case !exact:
				return &FieldError{File: file, Field: join(path, name), Problem: fmt.Sprintf("unknown field: names are case-sensitive, write %q", jsonName(*f))}, nil
			case seen[name]:
				return &FieldError{File: file, Field: join(path, name), Problem: "appears twice in one object (the second would silently win)"}, nil
			}
			seen[name] = true
			if fe, err := walkNames(dec, f.Type, join(path, name), file); fe != nil || err != nil {
				return fe, err
			}
		}
	case delim == '[' && t.Kind() == reflect.Slice:
		for i := 0; dec.More(); i++ {
			if fe, err := walkNames(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, i), file); fe != nil || err != nil {
				return fe, err
			}
		}
	default:
		// A container where the type has none: the decoder reports that.
		for depth := 1; depth > 0; {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			if d, ok := tok.(json.Delim); ok {
				if d == '{' || d == '[' {
					depth++
				} else {
					depth--
				}
			}
		}
		return nil, nil
	}
	_, err = dec.Token() // the closing delimiter
	return nil, err
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
