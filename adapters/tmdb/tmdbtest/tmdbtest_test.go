package tmdbtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/tmdb/tmdbtest"
)

// get asks the fake for path (relative to the API root) with the token,
// unless auth says otherwise, and decodes the JSON answer.
func get(t *testing.T, s *tmdbtest.Server, path string, auth func(*http.Request)) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth == nil {
		req.Header.Set("Authorization", "Bearer "+tmdbtest.Token)
	} else {
		auth(req)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: not JSON: %q", path, b)
	}
	return resp.StatusCode, resp.Header, m
}

func TestAuthLikeTMDB(t *testing.T) {
	s := tmdbtest.New(t)
	tests := []struct {
		name string
		auth func(*http.Request)
		want int
	}{
		{"bearer", nil, 200},
		{"api_key", func(r *http.Request) { r.URL.RawQuery += "&api_key=" + tmdbtest.APIKey }, 200},
		{"none", func(*http.Request) {}, 401},
		{"wrong bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, 401},
		{"wrong key", func(r *http.Request) { r.URL.RawQuery += "&api_key=nope" }, 401},
		{"right bearer, wrong key", func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+tmdbtest.Token)
			r.URL.RawQuery += "&api_key=nope"
		}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(t, s, "/search/multi?query=frozen", tt.auth)
			if status != tt.want {
				t.Fatalf("status %d, want %d", status, tt.want)
			}
			if status == 401 && (body["status_code"] != 7.0 || body["success"] != false) {
				t.Errorf("401 body %v, want TMDB's status_code 7", body)
			}
		})
	}
}

func TestShapes(t *testing.T) {
	s := tmdbtest.New(t)
	_, _, multi := get(t, s, "/search/multi?query=ballerina&include_adult=false", nil)
	types := map[any]int{}
	for _, r := range multi["results"].([]any) {
		types[r.(map[string]any)["media_type"]]++
	}
	if !reflect.DeepEqual(types, map[any]int{"movie": 3, "person": 1}) || multi["total_results"] != 4.0 || multi["page"] != 1.0 {
		t.Errorf("multi: %v", multi)
	}

	_, _, movie := get(t, s, "/movie/900101?append_to_response=release_dates,alternative_titles", nil)
	rd := movie["release_dates"].(map[string]any)["results"].([]any)
	us := rd[len(rd)-1].(map[string]any)
	if us["iso_3166_1"] != "US" || len(us["release_dates"].([]any)) != 4 {
		t.Errorf("US releases: %v", us)
	}
	entry := us["release_dates"].([]any)[0].(map[string]any)
	for _, k := range []string{"certification", "descriptors", "iso_639_1", "note", "release_date", "type"} {
		if _, ok := entry[k]; !ok {
			t.Errorf("release entry without %s: %v", k, entry)
		}
	}
	if _, ok := movie["alternative_titles"].(map[string]any)["titles"]; !ok {
		t.Errorf("film alternative_titles without titles: %v", movie["alternative_titles"])
	}
	_, _, bare := get(t, s, "/movie/900101", nil)
	if _, ok := bare["release_dates"]; ok {
		t.Error("release_dates sent without append_to_response")
	}

	_, _, tv := get(t, s, "/tv/900201?append_to_response=content_ratings,alternative_titles", nil)
	if _, ok := tv["alternative_titles"].(map[string]any)["results"]; !ok {
		t.Errorf("TV alternative_titles without results: %v", tv["alternative_titles"])
	}
	cr := tv["content_ratings"].(map[string]any)["results"].([]any)[3].(map[string]any)
	if cr["iso_3166_1"] != "NL" || cr["rating"] != "16" || len(cr["descriptors"].([]any)) != 2 {
		t.Errorf("NL content rating: %v", cr)
	}
	_, _, part := get(t, s, "/tv/900201/content_ratings", nil)
	if part["id"] != 900201.0 || len(part["results"].([]any)) != 5 {
		t.Errorf("/tv/{id}/content_ratings: %v", part)
	}

	status, _, nf := get(t, s, "/movie/1", nil)
	if status != 404 || nf["status_code"] != 34.0 {
		t.Errorf("unknown film: %d %v", status, nf)
	}
	status, _, nf = get(t, s, "/nowhere", nil)
	if status != 404 || nf["status_code"] != 34.0 {
		t.Errorf("unknown path: %d %v", status, nf)
	}
}

func TestFailuresAndCounts(t *testing.T) {
	s := tmdbtest.New(t)
	s.RateLimit("3", 1)
	status, h, body := get(t, s, "/search/multi?query=x", nil)
	if status != 429 || h.Get("Retry-After") != "3" || body["status_code"] != 25.0 {
		t.Errorf("429: %d %v %v", status, h, body)
	}
	if status, _, _ := get(t, s, "/search/multi?query=x", nil); status != 200 {
		t.Errorf("after one 429: %d", status)
	}
	s.Fail(503, 0)
	for range 3 {
		if status, _, _ := get(t, s, "/movie/900301", nil); status != 503 {
			t.Errorf("Fail(503, 0): %d", status)
		}
	}
	s.Heal()
	if status, _, _ := get(t, s, "/movie/900301", nil); status != 200 {
		t.Errorf("after Heal: %d", status)
	}
	if s.Requests("/search/multi") != 2 || s.Requests("/movie/900301") != 4 || s.Total() != 6 {
		t.Errorf("counts: multi %d, movie %d, total %d", s.Requests("/search/multi"), s.Requests("/movie/900301"), s.Total())
	}
	s.ResetCounts()
	if s.Total() != 0 || s.Requests("/search/multi") != 0 {
		t.Error("ResetCounts kept counts")
	}
}

func TestInMemoryUnderSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := tmdbtest.New(t, tmdbtest.InMemory())
		s.Slow(time.Hour)
		start := time.Now()
		status, _, _ := get(t, s, "/tv/900501", nil)
		if status != 200 || time.Since(start) != time.Hour {
			t.Errorf("status %d after %v, want 200 after the fake hour", status, time.Since(start))
		}
	})
}
