package tmdb_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
)

func film(id int) bot.UpstreamRef { return bot.UpstreamRef{Kind: bot.MediaFilm, ID: id} }
func show(id int) bot.UpstreamRef { return bot.UpstreamRef{Kind: bot.MediaShow, ID: id} }

func refs(titles []bot.UpstreamTitle) []bot.UpstreamRef {
	var out []bot.UpstreamRef
	for _, t := range titles {
		out = append(out, t.Ref)
	}
	return out
}

func TestSearch(t *testing.T) {
	fake := tmdbtest.New(t)
	c, _ := newClient(t, fake)
	tests := []struct {
		name  string
		title string
		year  int
		want  []bot.UpstreamRef
		// paths that must have been asked, and must not have been
		asked, notAsked []string
	}{
		{"same name, three films, the person dropped", "Ballerina", 0,
			[]bot.UpstreamRef{film(tmdbtest.Ballerina2025), film(tmdbtest.Ballerina2016), film(tmdbtest.Ballerina2023)},
			[]string{"/search/multi"}, []string{"/search/movie", "/search/tv"}},
		{"a film and a show with one name and one number", "Fargo", 0,
			[]bot.UpstreamRef{show(tmdbtest.FargoShow), film(tmdbtest.FargoFilm)},
			[]string{"/search/multi"}, nil},
		{"a year picks the 2023 film", "Ballerina", 2023,
			[]bot.UpstreamRef{film(tmdbtest.Ballerina2023)},
			[]string{"/search/movie", "/search/tv"}, []string{"/search/multi"}},
		{"a year picks the show", "fargo", 2014, []bot.UpstreamRef{show(tmdbtest.FargoShow)}, nil, nil},
		{"a year picks the film", "Fargo", 1996, []bot.UpstreamRef{film(tmdbtest.FargoFilm)}, nil, nil},
		{"a year with nothing", "Ballerina", 1999, nil, nil, nil},
		{"found by an alternative title", "Leap!", 0, []bot.UpstreamRef{film(tmdbtest.Ballerina2016)}, nil, nil},
		{"nothing found", "Zyzzyva Quest", 0, nil, nil, nil},
		{"only a person found", "Petrova", 0, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.ResetCounts()
			got, err := c.Search(t.Context(), tt.title, tt.year)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(refs(got), tt.want) {
				t.Errorf("Search(%q, %d) = %v, want %v", tt.title, tt.year, refs(got), tt.want)
			}
			for _, p := range tt.asked {
				if fake.Requests(p) != 1 {
					t.Errorf("%s asked %d times, want once", p, fake.Requests(p))
				}
			}
			for _, p := range tt.notAsked {
				if fake.Requests(p) != 0 {
					t.Errorf("%s asked %d times, want never", p, fake.Requests(p))
				}
			}
		})
	}
}

func TestSearchTranslatesFieldsAndSendsTheDocumentedParameters(t *testing.T) {
	fake := tmdbtest.New(t)
	c, _ := newClient(t, fake, func(c *tmdb.Config) { c.Language = "nl-NL" })
	got, err := c.Search(t.Context(), "  Ballerina\n", 2023)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.UpstreamTitle{{
		Ref: film(tmdbtest.Ballerina2023), Title: "Ballerina", OriginalTitle: "발레리나", Year: 2023,
		Overview: "A former bodyguard sets out to avenge a friend.", Popularity: 14.9,
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, r := range fake.Log() {
		q := r.Query
		if q.Get("query") != "Ballerina" || q.Get("include_adult") != "false" || q.Get("language") != "nl-NL" {
			t.Errorf("%s sent query=%q include_adult=%q language=%q", r.Path, q.Get("query"), q.Get("include_adult"), q.Get("language"))
		}
		year := map[string]string{"/search/movie": "primary_release_year", "/search/tv": "first_air_date_year"}[r.Path]
		if q.Get(year) != "2023" {
			t.Errorf("%s sent %s=%q, want 2023 (%v)", r.Path, year, q.Get(year), q)
		}
	}

	// The original title is left out when it is the title; shows read name
	// and first_air_date.
	got, err = c.Search(t.Context(), "Bluey", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Title != "Bluey" || got[0].OriginalTitle != "" || got[0].Year != 2018 || got[0].Ref != show(tmdbtest.Bluey) {
		t.Errorf("Bluey: %+v", got)
	}
}

func TestSearchWithoutATitleAsksNothing(t *testing.T) {
	fake := tmdbtest.New(t)
	c, _ := newClient(t, fake)
	for _, title := range []string{"", "   ", "\n\t"} {
		got, err := c.Search(t.Context(), title, 0)
		if err != nil || got != nil {
			t.Errorf("Search(%q) = %v, %v; want nothing", title, got, err)
		}
	}
	if _, err := c.Search(t.Context(), strings.Repeat("a", 501), 0); err == nil {
		t.Error("a 501-byte title was searched")
	}
	if fake.Total() != 0 {
		t.Errorf("%d requests for no title", fake.Total())
	}
}

func TestDetailsFilm(t *testing.T) {
	fake := tmdbtest.New(t)
	c, _ := newClient(t, fake)
	d, err := c.Details(t.Context(), film(tmdbtest.Ballerina2016))
	if err != nil {
		t.Fatal(err)
	}
	cert := func(country, value string, typ int, date, note string, desc ...string) bot.Certification {
		return bot.Certification{Country: country, Value: value, ReleaseType: typ, ReleaseDate: date, Note: note, Descriptors: desc}
	}
	want := bot.UpstreamDetails{
		UpstreamTitle: bot.UpstreamTitle{
			Ref: film(tmdbtest.Ballerina2016), Title: "Ballerina", Year: 2016, Popularity: 31.4,
			Overview: "An orphan girl dreams of becoming a ballerina and flees her rural Brittany for Paris.",
		},
		RuntimeMinutes: 89,
		AlsoKnownAs:    []string{"Leap!"},
		// Every entry, in TMDB's order, empty certifications included.
		Certifications: []bot.Certification{
			cert("CA", "", 1, "2016-10-19", "Festival premiere"),
			cert("FR", "U", 3, "2016-12-14", ""),
			cert("GB", "U", 3, "2017-03-31", ""),
			cert("GB", "U", 5, "2017-07-24", "DVD"),
			cert("DE", "0", 3, "2017-02-09", ""),
			cert("NL", "6", 3, "2016-12-21", "", "Angst"),
			cert("ES", "", 3, "2016-12-23", ""),
			cert("US", "PG", 2, "2017-08-25", "Limited"),
			cert("US", "PG", 3, "2017-08-25", ""),
			cert("US", "PG", 4, "2017-11-07", ""),
			cert("US", "TV-G", 6, "2018-06-01", "Broadcast premiere"),
		},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got  %+v\nwant %+v", d, want)
	}
	log := fake.Log()
	if len(log) != 1 || log[0].Path != "/movie/900101" || log[0].Query.Get("append_to_response") != "release_dates,alternative_titles" {
		t.Errorf("asked %+v, want one /movie/900101 with release_dates,alternative_titles", log)
	}
}

func TestDetailsCases(t *testing.T) {
	fake := tmdbtest.New(t)
	c, _ := newClient(t, fake)
	tests := []struct {
		name    string
		ref     bot.UpstreamRef
		check   func(t *testing.T, d bot.UpstreamDetails)
		wantErr error
		path    string
	}{
		{"no certification anywhere", film(tmdbtest.LanternKeeper), func(t *testing.T, d bot.UpstreamDetails) {
			if len(d.Certifications) != 2 || d.Certifications[0].Value != "" || d.Certifications[1].Value != "" {
				t.Errorf("certifications %+v, want two empty entries", d.Certifications)
			}
			if d.RuntimeMinutes != 0 || d.AlsoKnownAs != nil {
				t.Errorf("runtime %d (null upstream), aka %v", d.RuntimeMinutes, d.AlsoKnownAs)
			}
		}, nil, "/movie/900401"},
		{"a show's content ratings", show(tmdbtest.FargoShow), func(t *testing.T, d bot.UpstreamDetails) {
			want := []bot.Certification{
				{Country: "US", Value: "TV-MA"},
				{Country: "GB", Value: "15"},
				{Country: "DE", Value: "16"},
				{Country: "NL", Value: "16", Descriptors: []string{"Geweld", "Grof taalgebruik"}},
				{Country: "AU", Value: "MA15+"},
			}
			if !reflect.DeepEqual(d.Certifications, want) {
				t.Errorf("certifications %+v\nwant %+v", d.Certifications, want)
			}
			if d.Ref != show(tmdbtest.FargoShow) || d.Year != 2014 || d.RuntimeMinutes != 53 ||
				!reflect.DeepEqual(d.AlsoKnownAs, []string{"Fargo: The Series"}) {
				t.Errorf("%+v", d)
			}
		}, nil, "/tv/900201"},
		{"the film with the show's number", film(tmdbtest.FargoFilm), func(t *testing.T, d bot.UpstreamDetails) {
			if d.Ref != film(tmdbtest.FargoFilm) || d.Year != 1996 || len(d.Certifications) != 4 || d.Certifications[0].Value != "R" {
				t.Errorf("%+v", d)
			}
		}, nil, "/movie/900201"},
		{"the first positive episode run time", show(tmdbtest.Bluey), func(t *testing.T, d bot.UpstreamDetails) {
			if d.RuntimeMinutes != 7 {
				t.Errorf("runtime %d, want 7", d.RuntimeMinutes)
			}
		}, nil, "/tv/900501"},
		{"a show rated nowhere", show(tmdbtest.HarbourLights), func(t *testing.T, d bot.UpstreamDetails) {
			if d.Certifications != nil || d.Title != "Harbour Lights" {
				t.Errorf("%+v", d)
			}
		}, nil, "/tv/900502"},
		{"unknown film", film(123), nil, bot.ErrUpstreamNotFound, "/movie/123"},
		{"a show's number as a film", film(tmdbtest.Bluey), nil, bot.ErrUpstreamNotFound, "/movie/900501"},
		{"no id asks nothing", film(0), nil, bot.ErrUpstreamNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.ResetCounts()
			d, err := c.Details(t.Context(), tt.ref)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
			log := fake.Log()
			switch {
			case tt.path == "" && len(log) != 0:
				t.Errorf("asked %+v, want nothing", log)
			case tt.path != "" && (len(log) != 1 || log[0].Path != tt.path):
				t.Errorf("asked %+v, want %s once", log, tt.path)
			}
			if strings.HasPrefix(tt.path, "/tv/") && log[0].Query.Get("append_to_response") != "content_ratings,alternative_titles" {
				t.Errorf("append_to_response=%q", log[0].Query.Get("append_to_response"))
			}
		})
	}
	if _, err := c.Details(t.Context(), bot.UpstreamRef{Kind: "book", ID: 1}); err == nil || errors.Is(err, bot.ErrUpstreamNotFound) {
		t.Errorf("an unknown kind: %v", err)
	}
}

func TestAuthentication(t *testing.T) {
	fake := tmdbtest.New(t)
	tests := []struct {
		name     string
		edit     func(*tmdb.Config)
		wantAuth string
		wantErr  error
	}{
		{"token as a Bearer header", func(*tmdb.Config) {}, "bearer", nil},
		{"v3 key as api_key", withAPIKey(tmdbtest.APIKey), "api_key", nil},
		{"the token wins over a key", func(c *tmdb.Config) { c.APIKey = "unused" }, "bearer", nil},
		{"wrong token", func(c *tmdb.Config) { c.Token = "wrong" }, "bearer", bot.ErrUpstreamAuth},
		{"wrong key", withAPIKey("wrong"), "api_key", bot.ErrUpstreamAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.ResetCounts()
			c, _ := newClient(t, fake, tt.edit)
			_, err := c.Search(t.Context(), "Frozen", 0)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			log := fake.Log()
			if len(log) != 1 || log[0].Auth != tt.wantAuth {
				t.Fatalf("requests %+v, want one with %s", log, tt.wantAuth)
			}
			if tt.wantAuth == "bearer" && log[0].Query.Has("api_key") {
				t.Error("the key was sent alongside the token")
			}
		})
	}
}

// A refused credential is the operator's problem: logged once, clearly,
// without the credential, however many questions hit it; logged again only
// after TMDB accepted it in between.
func TestUnauthorizedIsLoggedOnce(t *testing.T) {
	for _, tc := range []struct {
		name, secret, mentions string
		edit                   func(*tmdb.Config)
	}{
		{"token", "a-revoked-token", "TMDB_TOKEN", func(c *tmdb.Config) { c.Token = "a-revoked-token" }},
		{"key", "a-revoked-key", "TMDB_API_KEY", withAPIKey("a-revoked-key")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := tmdbtest.New(t)
			c, logs := newClient(t, fake, tc.edit)
			for range 5 {
				_, err := c.Search(t.Context(), "Frozen", 0)
				if !errors.Is(err, bot.ErrUpstreamAuth) {
					t.Fatalf("err = %v, want ErrUpstreamAuth", err)
				}
				if strings.Contains(err.Error(), tc.secret) {
					t.Fatalf("the error shows the credential: %v", err)
				}
			}
			if n := lines(logs, "refused the credential"); n != 1 {
				t.Errorf("%d log lines for 5 refusals, want 1:\n%s", n, logs)
			}
			if !strings.Contains(logs.String(), tc.mentions) || !strings.Contains(logs.String(), "Invalid API key") {
				t.Errorf("the log does not name %s or say what TMDB said:\n%s", tc.mentions, logs)
			}
			if strings.Contains(logs.String(), tc.secret) {
				t.Errorf("the log shows the credential:\n%s", logs)
			}
			if fake.Total() != 5 {
				t.Errorf("%d requests, want 5: a 401 is not retried", fake.Total())
			}
		})
	}

	fake := tmdbtest.New(t)
	c, logs := newClient(t, fake)
	fake.Fail(http.StatusUnauthorized, 2)
	for range 2 {
		if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamAuth) {
			t.Fatalf("err = %v", err)
		}
	}
	if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); err != nil {
		t.Fatal(err)
	}
	fake.Fail(http.StatusUnauthorized, 1)
	if _, err := c.Details(t.Context(), film(tmdbtest.Frozen)); !errors.Is(err, bot.ErrUpstreamAuth) {
		t.Fatalf("err = %v", err)
	}
	if n := lines(logs, "refused the credential"); n != 2 {
		t.Errorf("%d log lines, want 2 (one per outage):\n%s", n, logs)
	}
}

// An error must never show the API key, which travels in the URL's query:
// net/http's own errors quote the whole URL.
func TestErrorsNeverShowTheKey(t *testing.T) {
	fake := tmdbtest.New(t)
	c, logs := newClient(t, fake, withAPIKey(tmdbtest.APIKey), func(c *tmdb.Config) { c.RetryDelay = 1 })
	fake.Close() // connection refused from now on
	_, err := c.Search(t.Context(), "Frozen", 0)
	if !errors.Is(err, bot.ErrUpstreamUnavailable) {
		t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
	}
	if strings.Contains(err.Error(), tmdbtest.APIKey) || strings.Contains(logs.String(), tmdbtest.APIKey) {
		t.Errorf("the key shows:\n%v\n%s", err, logs)
	}
}

func TestUnusableAnswers(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		edit    func(*tmdb.Config)
		tries   int
	}{
		{"an HTML page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Bad gateway</body></html>"))
		}, nil, 1},
		{"a body over the limit", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"page":1,"results":[` + strings.Repeat(`{"id":1,"media_type":"movie","title":"x"},`, 100) + `{}]}`))
		}, func(c *tmdb.Config) { c.MaxBody = 1024 }, 1},
		{"a body over the limit, unannounced", func(w http.ResponseWriter, _ *http.Request) {
			w.(http.Flusher).Flush() // chunked: no Content-Length
			_, _ = w.Write([]byte(strings.Repeat(" ", 2048)))
		}, func(c *tmdb.Config) { c.MaxBody = 1024 }, 1},
		{"an unexpected status, not retried", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = w.Write([]byte(`{"success":false,"status_code":5,"status_message":"Invalid parameters: Your request parameters are incorrect."}`))
		}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tries := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tries++
				tt.handler(w, r)
			}))
			defer srv.Close()
			cfg := tmdb.Config{Token: "t", BaseURL: srv.URL + "/3", HTTPClient: srv.Client()}
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			c, err := tmdb.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Search(t.Context(), "Frozen", 0)
			if !errors.Is(err, bot.ErrUpstreamUnavailable) {
				t.Fatalf("err = %v, want ErrUpstreamUnavailable", err)
			}
			if tries != tt.tries {
				t.Errorf("%d tries, want %d", tries, tt.tries)
			}
		})
	}
}
