package data_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/data"
)

// schema is the part of review.schema.json these tests read.
type schema struct {
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Defs       struct {
		Concern struct {
			Properties struct {
				Severity struct {
					Enum []string `json:"enum"`
				} `json:"severity"`
			} `json:"properties"`
		} `json:"concern"`
	} `json:"$defs"`
}

func loadSchema(t *testing.T) schema {
	t.Helper()
	raw, err := os.ReadFile("review.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("review.schema.json: %v", err)
	}
	return s
}

// TestSchemaMatchesLoader keeps the curators' schema and the Go loader in
// step: same fields, same required fields, same enums.
func TestSchemaMatchesLoader(t *testing.T) {
	s := loadSchema(t)
	var fields, required []string
	rt := reflect.TypeFor[catalog.Review]()
	for i := range rt.NumField() {
		tag := rt.Field(i).Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		fields = append(fields, name)
		if !strings.Contains(opts, "omitempty") && name != "fixture" {
			required = append(required, name)
		}
	}
	props := make([]string, 0, len(s.Properties))
	for p := range s.Properties {
		props = append(props, p)
	}
	sort.Strings(fields)
	sort.Strings(props)
	if !slices.Equal(fields, props) {
		t.Errorf("schema properties %v, Go fields %v", props, fields)
	}
	sort.Strings(required)
	got := slices.Clone(s.Required)
	sort.Strings(got)
	if !slices.Equal(got, required) {
		t.Errorf("schema requires %v, loader requires %v", got, required)
	}
	sev := []string{string(catalog.SeverityUnknown), string(catalog.SeverityNone), string(catalog.SeverityMild), string(catalog.SeverityModerate), string(catalog.SeveritySevere)}
	if !slices.Equal(s.Defs.Concern.Properties.Severity.Enum, sev) {
		t.Errorf("schema severities %v, want %v", s.Defs.Concern.Properties.Severity.Enum, sev)
	}
	raw := string(s.Properties["rating"])
	for _, sys := range rating.Systems() {
		if !strings.Contains(raw, `"`+string(sys)+`"`) {
			t.Errorf("schema lacks rating system %s", sys)
		}
		for _, r := range rating.Values(sys) {
			if !strings.Contains(raw, `"`+r.Value+`"`) {
				t.Errorf("schema lacks rating %s %s", sys, r.Value)
			}
		}
	}
}

// TestShippedReviewsAreRealSources: the embedded catalog ships no fixture.
func TestShippedReviewsAreRealSources(t *testing.T) {
	c, err := catalog.Load(data.Reviews())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := c.Review("ballerina-2023")
	if !ok {
		t.Fatal("ballerina-2023 is not embedded")
	}
	if r.Fixture || r.Source.Kind != "curated_review" {
		t.Errorf("shipped review marked %v/%s", r.Fixture, r.Source.Kind)
	}
	if c.Len() != 1 {
		t.Errorf("%d shipped reviews; each new one needs a real source (see data/README.md) and this test updated", c.Len())
	}
}
