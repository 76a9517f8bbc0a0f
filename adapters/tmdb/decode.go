package tmdb

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"advisorybot/bot"
)

// The response shapes below hold only the fields the bot uses; encoding/json
// ignores the rest. Nullable numbers decode as zero.

// searchPage is /search/multi, /search/movie and /search/tv. Film results
// carry title/original_title/release_date, show results
// name/original_name/first_air_date, and /search/multi says which in
// media_type ("movie", "tv" or "person").
type searchPage struct {
	Page         int            `json:"page"`
	TotalPages   int            `json:"total_pages"`
	TotalResults int            `json:"total_results"`
	Results      []searchResult `json:"results"`
}

type searchResult struct {
	ID            int     `json:"id"`
	MediaType     string  `json:"media_type"`
	Title         string  `json:"title"`
	OriginalTitle string  `json:"original_title"`
	ReleaseDate   string  `json:"release_date"`
	Name          string  `json:"name"`
	OriginalName  string  `json:"original_name"`
	FirstAirDate  string  `json:"first_air_date"`
	Overview      string  `json:"overview"`
	Popularity    float64 `json:"popularity"`
}

// movieDetails is /movie/{id}?append_to_response=release_dates,alternative_titles.
type movieDetails struct {
	ID            int     `json:"id"`
	Title         string  `json:"title"`
	OriginalTitle string  `json:"original_title"`
	ReleaseDate   string  `json:"release_date"`
	Overview      string  `json:"overview"`
	Popularity    float64 `json:"popularity"`
	Runtime       int     `json:"runtime"`
	ReleaseDates  struct {
		Results []struct {
			Country      string `json:"iso_3166_1"`
			ReleaseDates []struct {
				Certification string   `json:"certification"`
				Descriptors   []string `json:"descriptors"`
				Language      string   `json:"iso_639_1"`
				Note          string   `json:"note"`
				ReleaseDate   string   `json:"release_date"`
				Type          int      `json:"type"`
			} `json:"release_dates"`
		} `json:"results"`
	} `json:"release_dates"`
	AlternativeTitles struct {
		// The film endpoint calls the list "titles".
		Titles []altTitle `json:"titles"`
	} `json:"alternative_titles"`
}

// tvDetails is /tv/{id}?append_to_response=content_ratings,alternative_titles.
type tvDetails struct {
	ID             int     `json:"id"`
	Name           string  `json:"name"`
	OriginalName   string  `json:"original_name"`
	FirstAirDate   string  `json:"first_air_date"`
	Overview       string  `json:"overview"`
	Popularity     float64 `json:"popularity"`
	EpisodeRunTime []int   `json:"episode_run_time"`
	ContentRatings struct {
		Results []struct {
			Country     string   `json:"iso_3166_1"`
			Rating      string   `json:"rating"`
			Descriptors []string `json:"descriptors"`
		} `json:"results"`
	} `json:"content_ratings"`
	AlternativeTitles struct {
		// The TV endpoint calls the list "results", unlike the film one.
		Results []altTitle `json:"results"`
	} `json:"alternative_titles"`
}

type altTitle struct {
	Country string `json:"iso_3166_1"`
	Title   string `json:"title"`
	Type    string `json:"type"`
}

// apiError is TMDB's error body: {"success":false,"status_code":34,"status_message":"..."}.
type apiError struct {
	StatusCode    int    `json:"status_code"`
	StatusMessage string `json:"status_message"`
}

// maxMessage bounds how much of TMDB's status_message reaches a log line.
const maxMessage = 200

// decodeAPIError reads TMDB's error body, tolerating anything else (a
// proxy's HTML page); it returns a short, single-line description.
func decodeAPIError(body []byte) string {
	var e apiError
	if json.Unmarshal(body, &e) != nil || e.StatusMessage == "" {
		return ""
	}
	msg := strings.Join(strings.Fields(e.StatusMessage), " ")
	if len(msg) > maxMessage {
		msg = strings.ToValidUTF8(msg[:maxMessage], "") + "…"
	}
	return fmt.Sprintf("TMDB status %d: %s", e.StatusCode, msg)
}

// decodeSearch translates a search page into titles. kind is the media of
// /search/movie (MediaFilm) or /search/tv (MediaShow), whose results carry
// no media_type; "" reads media_type (/search/multi) and drops people and
// anything else that is neither a film nor a show. Entries without an id or
// a title are dropped: they cannot be asked about.
func decodeSearch(body []byte, kind bot.MediaKind) ([]bot.UpstreamTitle, error) {
	var p searchPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("decoding search results: %w", err)
	}
	out := make([]bot.UpstreamTitle, 0, len(p.Results))
	for _, r := range p.Results {
		k := kind
		if k == "" {
			switch r.MediaType {
			case "movie":
				k = bot.MediaFilm
			case "tv":
				k = bot.MediaShow
			default: // "person", or a media type this client does not know
				continue
			}
		}
		t := bot.UpstreamTitle{
			Ref:        bot.UpstreamRef{Kind: k, ID: r.ID},
			Overview:   clean(r.Overview),
			Popularity: r.Popularity,
		}
		if k == bot.MediaFilm {
			t.Title, t.OriginalTitle, t.Year = clean(r.Title), clean(r.OriginalTitle), year(r.ReleaseDate)
		} else {
			t.Title, t.OriginalTitle, t.Year = clean(r.Name), clean(r.OriginalName), year(r.FirstAirDate)
		}
		if r.ID <= 0 || t.Title == "" {
			continue
		}
		if t.OriginalTitle == t.Title {
			t.OriginalTitle = ""
		}
		out = append(out, t)
	}
	return out, nil
}

// decodeMovie translates a film's details: one certification per release
// entry, in TMDB's order, empty values included (the core chooses).
func decodeMovie(body []byte) (bot.UpstreamDetails, error) {
	var m movieDetails
	if err := json.Unmarshal(body, &m); err != nil {
		return bot.UpstreamDetails{}, fmt.Errorf("decoding film details: %w", err)
	}
	d := bot.UpstreamDetails{
		UpstreamTitle: bot.UpstreamTitle{
			Ref:           bot.UpstreamRef{Kind: bot.MediaFilm, ID: m.ID},
			Title:         clean(m.Title),
			OriginalTitle: clean(m.OriginalTitle),
			Year:          year(m.ReleaseDate),
			Overview:      clean(m.Overview),
			Popularity:    m.Popularity,
		},
		RuntimeMinutes: max(m.Runtime, 0),
	}
	for _, c := range m.ReleaseDates.Results {
		country := strings.ToUpper(clean(c.Country))
		if country == "" {
			continue
		}
		for _, r := range c.ReleaseDates {
			d.Certifications = append(d.Certifications, bot.Certification{
				Country:     country,
				Value:       clean(r.Certification),
				Descriptors: descriptors(r.Descriptors),
				ReleaseType: r.Type,
				Note:        clean(r.Note),
				ReleaseDate: date(r.ReleaseDate),
			})
		}
	}
	d.AlsoKnownAs = alsoKnownAs(d.UpstreamTitle, m.AlternativeTitles.Titles)
	return finishDetails(d)
}

// decodeTV translates a show's details: one certification per country's
// content rating.
func decodeTV(body []byte) (bot.UpstreamDetails, error) {
	var s tvDetails
	if err := json.Unmarshal(body, &s); err != nil {
		return bot.UpstreamDetails{}, fmt.Errorf("decoding show details: %w", err)
	}
	d := bot.UpstreamDetails{
		UpstreamTitle: bot.UpstreamTitle{
			Ref:           bot.UpstreamRef{Kind: bot.MediaShow, ID: s.ID},
			Title:         clean(s.Name),
			OriginalTitle: clean(s.OriginalName),
			Year:          year(s.FirstAirDate),
			Overview:      clean(s.Overview),
			Popularity:    s.Popularity,
		},
	}
	// episode_run_time lists typical episode lengths (often empty today);
	// the first positive one stands for the show.
	for _, m := range s.EpisodeRunTime {
		if m > 0 {
			d.RuntimeMinutes = m
			break
		}
	}
	for _, c := range s.ContentRatings.Results {
		country := strings.ToUpper(clean(c.Country))
		if country == "" {
			continue
		}
		d.Certifications = append(d.Certifications, bot.Certification{
			Country:     country,
			Value:       clean(c.Rating),
			Descriptors: descriptors(c.Descriptors),
		})
	}
	d.AlsoKnownAs = alsoKnownAs(d.UpstreamTitle, s.AlternativeTitles.Results)
	return finishDetails(d)
}

func finishDetails(d bot.UpstreamDetails) (bot.UpstreamDetails, error) {
	if d.Ref.ID <= 0 || d.Title == "" {
		return bot.UpstreamDetails{}, fmt.Errorf("decoding %s details: no id or title in the answer", d.Ref.Kind)
	}
	if d.OriginalTitle == d.Title {
		d.OriginalTitle = ""
	}
	return d, nil
}

// alsoKnownAs lists the alternative titles once each, without the title and
// original title themselves.
func alsoKnownAs(t bot.UpstreamTitle, alts []altTitle) []string {
	var out []string
	seen := map[string]bool{t.Title: true, t.OriginalTitle: true, "": true}
	for _, a := range alts {
		s := clean(a.Title)
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func descriptors(in []string) []string {
	var out []string
	for _, s := range in {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clean trims a string, turns control characters into spaces and collapses
// any run of whitespace (newlines included) to one space, so text from TMDB
// stays plain and on one line.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// year reads the year of "YYYY-MM-DD" (or a longer timestamp); 0 when the
// date is empty or not a date.
func year(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil || y < 1 {
		return 0
	}
	if len(date) > 4 && date[4] != '-' {
		return 0
	}
	return y
}

// date turns TMDB's release timestamp ("2016-12-14T00:00:00.000Z") into a
// plain date ("2016-12-14"); "" when it is neither.
func date(s string) string {
	s = clean(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s
	}
	return ""
}
