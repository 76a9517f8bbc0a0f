package tmdbtest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// TMDB's error codes and messages for the statuses the fake answers
// (TMDB's documented error table).
var apiErrors = map[int]struct {
	code int
	msg  string
}{
	http.StatusUnauthorized:        {7, "Invalid API key: You must be granted a valid key."},
	http.StatusNotFound:            {34, "The resource you requested could not be found."},
	http.StatusTooManyRequests:     {25, "Your request count (#) is over the allowed limit of (40)."},
	http.StatusInternalServerError: {11, "Internal error: Something went wrong, contact TMDB."},
	http.StatusBadGateway:          {43, "Couldn't connect to the backend server."},
	http.StatusServiceUnavailable:  {9, "Service offline: This service is temporarily offline, try again later."},
	http.StatusGatewayTimeout:      {24, "Your request to the backend server timed out. Try again."},
}

func writeError(w http.ResponseWriter, status int) {
	e, ok := apiErrors[status]
	if !ok {
		e.code, e.msg = 15, "Failed."
	}
	writeJSON(w, status, map[string]any{"success": false, "status_code": e.code, "status_message": e.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

const pageSize = 20

// page answers TMDB's paged envelope for the page the query asks.
func page(w http.ResponseWriter, r *http.Request, results []map[string]any) {
	n := 1
	if p := r.URL.Query().Get("page"); p != "" {
		var err error
		if n, err = strconv.Atoi(p); err != nil || n < 1 || n > 500 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "status_code": 22,
				"status_message": "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."})
			return
		}
	}
	from, to := min((n-1)*pageSize, len(results)), min(n*pageSize, len(results))
	writeJSON(w, http.StatusOK, map[string]any{
		"page":          n,
		"results":       append([]map[string]any{}, results[from:to]...),
		"total_pages":   (len(results) + pageSize - 1) / pageSize,
		"total_results": len(results),
	})
}

// matches is the fake's search: every word of the query appears in the
// title, the original title or an alternative title, ignoring case.
func matches(query string, names ...string) bool {
	words := strings.Fields(strings.ToLower(query))
	if len(words) == 0 {
		return false
	}
	for _, name := range names {
		n := strings.ToLower(name)
		all := true
		for _, w := range words {
			if !strings.Contains(n, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (f film) names() []string {
	out := []string{f.title, f.original}
	for _, a := range f.alt {
		out = append(out, a.title)
	}
	return out
}

func (s show) names() []string {
	out := []string{s.name, s.original}
	for _, a := range s.alt {
		out = append(out, a.title)
	}
	return out
}

func yearOf(date string) string {
	if len(date) < 4 {
		return ""
	}
	return date[:4]
}

func (f film) result(withType bool) map[string]any {
	m := map[string]any{
		"adult": false, "backdrop_path": nil, "genre_ids": f.genres, "id": f.id,
		"original_language": f.lang, "original_title": f.original, "overview": f.overview,
		"popularity": f.popularity, "poster_path": nil, "release_date": f.date, "title": f.title,
		"video": false, "vote_average": 7.1, "vote_count": 1200,
	}
	if withType {
		m["media_type"] = "movie"
	}
	return m
}

func (s show) result(withType bool) map[string]any {
	m := map[string]any{
		"adult": false, "backdrop_path": nil, "genre_ids": s.genres, "id": s.id,
		"origin_country": s.origin, "original_language": s.lang, "original_name": s.original,
		"overview": s.overview, "popularity": s.popularity, "poster_path": nil,
		"first_air_date": s.date, "name": s.name, "vote_average": 8.2, "vote_count": 900,
	}
	if withType {
		m["media_type"] = "tv"
	}
	return m
}

func (p person) result() map[string]any {
	return map[string]any{
		"adult": false, "gender": 1, "id": p.id, "known_for": []any{},
		"known_for_department": p.department, "media_type": "person", "name": p.name,
		"original_name": p.name, "popularity": p.popularity, "profile_path": nil,
	}
}

type scored struct {
	pop float64
	m   map[string]any
}

func byPopularity(in []scored) []map[string]any {
	slices.SortStableFunc(in, func(a, b scored) int { return cmp.Compare(b.pop, a.pop) })
	out := make([]map[string]any, 0, len(in))
	for _, s := range in {
		out = append(out, s.m)
	}
	return out
}

func (s *Server) searchMulti(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("query")
	var res []scored
	for _, f := range films {
		if matches(q, f.names()...) {
			res = append(res, scored{f.popularity, f.result(true)})
		}
	}
	for _, sh := range shows {
		if matches(q, sh.names()...) {
			res = append(res, scored{sh.popularity, sh.result(true)})
		}
	}
	for _, p := range people {
		if matches(q, p.name) {
			res = append(res, scored{p.popularity, p.result()})
		}
	}
	page(w, r, byPopularity(res))
}

// searchMovie filters by primary_release_year (the primary release date's
// year) and by year (the year of any release).
func (s *Server) searchMovie(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var res []scored
	for _, f := range films {
		if !matches(q.Get("query"), f.names()...) {
			continue
		}
		if y := q.Get("primary_release_year"); y != "" && yearOf(f.date) != y {
			continue
		}
		if y := q.Get("year"); y != "" && !f.releasedIn(y) {
			continue
		}
		res = append(res, scored{f.popularity, f.result(false)})
	}
	page(w, r, byPopularity(res))
}

func (f film) releasedIn(y string) bool {
	if yearOf(f.date) == y {
		return true
	}
	for _, rel := range f.releases {
		if yearOf(rel.date) == y {
			return true
		}
	}
	return false
}

// searchTV filters by first_air_date_year (and year, read the same way).
func (s *Server) searchTV(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var res []scored
	for _, sh := range shows {
		if !matches(q.Get("query"), sh.names()...) {
			continue
		}
		if y := cmp.Or(q.Get("first_air_date_year"), q.Get("year")); y != "" && yearOf(sh.date) != y {
			continue
		}
		res = append(res, scored{sh.popularity, sh.result(false)})
	}
	page(w, r, byPopularity(res))
}

func findFilm(id string) (film, bool) {
	for _, f := range films {
		if strconv.Itoa(f.id) == id {
			return f, true
		}
	}
	return film{}, false
}

func findShow(id string) (show, bool) {
	for _, s := range shows {
		if strconv.Itoa(s.id) == id {
			return s, true
		}
	}
	return show{}, false
}

// appended lists append_to_response's comma-separated parts.
func appended(r *http.Request) map[string]bool {
	out := map[string]bool{}
	for _, p := range strings.Split(r.URL.Query().Get("append_to_response"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out[p] = true
		}
	}
	return out
}

func (f film) releaseDates() map[string]any {
	var countries []map[string]any
	index := map[string]int{}
	for _, rel := range f.releases {
		i, ok := index[rel.where]
		if !ok {
			i = len(countries)
			index[rel.where] = i
			countries = append(countries, map[string]any{"iso_3166_1": rel.where, "release_dates": []map[string]any{}})
		}
		desc := rel.desc
		if desc == nil {
			desc = []string{}
		}
		countries[i]["release_dates"] = append(countries[i]["release_dates"].([]map[string]any), map[string]any{
			"certification": rel.cert, "descriptors": desc, "iso_639_1": rel.lang, "note": rel.note,
			"release_date": rel.date + "T00:00:00.000Z", "type": rel.typ,
		})
	}
	if countries == nil {
		countries = []map[string]any{}
	}
	return map[string]any{"results": countries}
}

func altList(alt []altTitle) []map[string]any {
	out := []map[string]any{}
	for _, a := range alt {
		out = append(out, map[string]any{"iso_3166_1": a.country, "title": a.title, "type": a.typ})
	}
	return out
}

func (f film) details(parts map[string]bool) map[string]any {
	m := f.result(false)
	delete(m, "genre_ids")
	var runtime any
	if f.runtime > 0 {
		runtime = f.runtime
	}
	m["runtime"] = runtime
	m["status"] = "Released"
	m["imdb_id"] = nil
	if parts["release_dates"] {
		m["release_dates"] = f.releaseDates()
	}
	if parts["alternative_titles"] {
		// The film endpoint calls the list "titles".
		m["alternative_titles"] = map[string]any{"titles": altList(f.alt)}
	}
	return m
}

func (s show) contentRatings() map[string]any {
	out := []map[string]any{}
	for _, r := range s.ratings {
		desc := r.desc
		if desc == nil {
			desc = []string{}
		}
		out = append(out, map[string]any{"descriptors": desc, "iso_3166_1": r.country, "rating": r.value})
	}
	return map[string]any{"results": out}
}

func (s show) details(parts map[string]bool) map[string]any {
	m := s.result(false)
	delete(m, "genre_ids")
	rt := s.runTime
	if rt == nil {
		rt = []int{}
	}
	m["episode_run_time"] = rt
	m["status"] = "Returning Series"
	if parts["content_ratings"] {
		m["content_ratings"] = s.contentRatings()
	}
	if parts["alternative_titles"] {
		// The TV endpoint calls the list "results", unlike the film one.
		m["alternative_titles"] = map[string]any{"results": altList(s.alt)}
	}
	return m
}

func (s *Server) movie(w http.ResponseWriter, r *http.Request) {
	f, ok := findFilm(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, f.details(appended(r)))
}

func (s *Server) moviePart(w http.ResponseWriter, r *http.Request) {
	f, ok := findFilm(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound)
		return
	}
	var m map[string]any
	switch r.PathValue("part") {
	case "release_dates":
		m = f.releaseDates()
	case "alternative_titles":
		m = map[string]any{"titles": altList(f.alt)}
	default:
		writeError(w, http.StatusNotFound)
		return
	}
	m["id"] = f.id
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) tv(w http.ResponseWriter, r *http.Request) {
	sh, ok := findShow(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, sh.details(appended(r)))
}

func (s *Server) tvPart(w http.ResponseWriter, r *http.Request) {
	sh, ok := findShow(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound)
		return
	}
	var m map[string]any
	switch r.PathValue("part") {
	case "content_ratings":
		m = sh.contentRatings()
	case "alternative_titles":
		m = map[string]any{"results": altList(sh.alt)}
	default:
		writeError(w, http.StatusNotFound)
		return
	}
	m["id"] = sh.id
	writeJSON(w, http.StatusOK, m)
}
