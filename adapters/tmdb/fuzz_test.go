package tmdb

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"advisorybot/bot"
)

// FuzzDecode feeds outside input (TMDB's answers, or whatever answers in
// its place) to the decoders: they must not panic, and what they return
// must be usable: a known kind, a positive id, a title, one-line valid
// text, certifications with a country.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"page":1,"results":[{"id":1,"media_type":"movie","title":"Ballerina","original_title":"Ballerina","release_date":"2016-12-14","popularity":3.5},` +
			`{"id":2,"media_type":"tv","name":"Fargo","original_name":"Fargo","first_air_date":"2014-04-15"},` +
			`{"id":3,"media_type":"person","name":"Someone"}],"total_pages":1,"total_results":3}`,
		`{"id":9,"title":"Frozen","release_date":"2013-11-20","runtime":102,"release_dates":{"results":[{"iso_3166_1":"US",` +
			`"release_dates":[{"certification":"PG","descriptors":[],"iso_639_1":"","note":"","release_date":"2013-11-27T00:00:00.000Z","type":3},` +
			`{"certification":"","descriptors":null,"note":"Premiere","release_date":"2013-11-19T00:00:00.000Z","type":1}]},` +
			`{"iso_3166_1":"NL","release_dates":[{"certification":"AL","descriptors":["Angst"," "],"type":3}]}]},` +
			`"alternative_titles":{"titles":[{"iso_3166_1":"FR","title":"La Reine des neiges","type":""}]}}`,
		`{"id":5,"name":"Bluey","first_air_date":"2018-10-01","episode_run_time":[0,7],"content_ratings":{"results":[` +
			`{"descriptors":[],"iso_3166_1":"AU","rating":"G"},{"descriptors":["Geweld"],"iso_3166_1":"nl","rating":"16"}]},` +
			`"alternative_titles":{"results":[{"iso_3166_1":"US","title":"Bluey","type":""}]}}`,
		`{"id":0,"title":null,"runtime":null,"release_dates":{"results":[{"iso_3166_1":"","release_dates":[{"type":"3"}]}]}}`,
		`{"success":false,"status_code":34,"status_message":"The resource you requested could not be found."}`,
		`<html>Bad gateway</html>`,
		`{"results":[{"id":1e3,"media_type":"movie","title":"\u2028x\n y","release_date":"99999"}]}`,
		``,
	}
	for _, s := range seeds {
		for which := range uint8(5) {
			f.Add([]byte(s), which)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		switch which % 5 {
		case 0, 1, 2:
			kind := [...]bot.MediaKind{"", bot.MediaFilm, bot.MediaShow}[which%5]
			titles, err := decodeSearch(body, kind)
			if err != nil {
				return
			}
			for _, tt := range titles {
				checkTitle(t, tt)
				if kind != "" && tt.Ref.Kind != kind {
					t.Fatalf("a %s search returned a %s", kind, tt.Ref.Kind)
				}
			}
		case 3, 4:
			decode := decodeMovie
			if which%5 == 4 {
				decode = decodeTV
			}
			d, err := decode(body)
			if err != nil {
				return
			}
			checkTitle(t, d.UpstreamTitle)
			if d.RuntimeMinutes < 0 {
				t.Fatalf("runtime %d", d.RuntimeMinutes)
			}
			for _, c := range d.Certifications {
				if c.Country == "" || c.Country != strings.ToUpper(c.Country) {
					t.Fatalf("certification country %q", c.Country)
				}
				checkText(t, c.Country, c.Value, c.Note)
				if _, err := time.Parse(time.DateOnly, c.ReleaseDate); err != nil && c.ReleaseDate != "" {
					t.Fatalf("release date %q", c.ReleaseDate)
				}
				for _, desc := range c.Descriptors {
					if desc == "" {
						t.Fatal("an empty descriptor")
					}
					checkText(t, desc)
				}
			}
			for _, a := range d.AlsoKnownAs {
				if a == "" || a == d.Title {
					t.Fatalf("also known as %q (title %q)", a, d.Title)
				}
				checkText(t, a)
			}
		}
		_ = decodeAPIError(body)
	})
}

func checkTitle(t *testing.T, tt bot.UpstreamTitle) {
	t.Helper()
	if tt.Ref.Kind != bot.MediaFilm && tt.Ref.Kind != bot.MediaShow {
		t.Fatalf("kind %q", tt.Ref.Kind)
	}
	if tt.Ref.ID <= 0 || tt.Title == "" {
		t.Fatalf("id %d, title %q", tt.Ref.ID, tt.Title)
	}
	if tt.Year < 0 || tt.Year > 9999 {
		t.Fatalf("year %d", tt.Year)
	}
	checkText(t, tt.Title, tt.OriginalTitle, tt.Overview)
}

// checkText: valid UTF-8, trimmed, without control characters (so on one line).
func checkText(t *testing.T, ss ...string) {
	t.Helper()
	for _, s := range ss {
		if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.ContainsFunc(s, unicode.IsControl) {
			t.Fatalf("text %q", s)
		}
	}
}
