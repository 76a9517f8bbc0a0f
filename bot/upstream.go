package bot

import (
	"context"
	"errors"
)

// Upstream is an outside title database that knows official certifications
// (TMDB). The bot asks it about titles the curated catalog does not hold.
// adapters/tmdb implements it.
type Upstream interface {
	// Search finds films and shows by title; year, when non-zero, narrows
	// the search. People and other media are not returned.
	Search(ctx context.Context, title string, year int) ([]UpstreamTitle, error)
	// Details returns one title with its certifications in every country.
	Details(ctx context.Context, ref UpstreamRef) (UpstreamDetails, error)
}

// MediaKind tells a film from a show.
type MediaKind string

// Media kinds.
const (
	MediaFilm MediaKind = "film"
	MediaShow MediaKind = "show"
)

// UpstreamRef names one title in the upstream database.
type UpstreamRef struct {
	Kind MediaKind `json:"kind"`
	ID   int       `json:"id"`
}

// UpstreamTitle is a search result.
type UpstreamTitle struct {
	Ref           UpstreamRef `json:"ref"`
	Title         string      `json:"title"`
	OriginalTitle string      `json:"original_title,omitempty"`
	// Year is the release (film) or first-air (show) year; 0 when unknown.
	Year       int     `json:"year,omitempty"`
	Overview   string  `json:"overview,omitempty"`
	Popularity float64 `json:"popularity,omitempty"`
}

// UpstreamDetails is one title with what the bot needs to judge it.
type UpstreamDetails struct {
	UpstreamTitle
	RuntimeMinutes int      `json:"runtime_minutes,omitempty"`
	AlsoKnownAs    []string `json:"also_known_as,omitempty"`
	// Certifications holds every certification the database lists, in its
	// order: for a film one entry per release (several per country, some
	// with an empty value), for a show one per country.
	Certifications []Certification `json:"certifications,omitempty"`
}

// Certification is one board's rating of a title in one country.
type Certification struct {
	Country     string   `json:"country"` // ISO 3166-1, e.g. "GB"
	Value       string   `json:"value"`   // e.g. "12A", "TV-14"; may be empty
	Descriptors []string `json:"descriptors,omitempty"`
	// ReleaseType is TMDB's release type for films (1 premiere, 2 limited
	// theatrical, 3 theatrical, 4 digital, 5 physical, 6 TV); 0 for shows.
	ReleaseType int    `json:"release_type,omitempty"`
	Note        string `json:"note,omitempty"`
	ReleaseDate string `json:"release_date,omitempty"` // YYYY-MM-DD, or empty
}

// Errors an Upstream returns, wrapped, so the bot can tell the user what
// happened without knowing the adapter.
var (
	// ErrUpstreamAuth: the upstream refused our credentials (a
	// configuration problem for the operator, not the user).
	ErrUpstreamAuth = errors.New("upstream refused the credentials")
	// ErrUpstreamUnavailable: the upstream is down, slow, rate-limiting us
	// or held off by the circuit breaker.
	ErrUpstreamUnavailable = errors.New("upstream unavailable")
	// ErrUpstreamNotFound: the title does not exist upstream.
	ErrUpstreamNotFound = errors.New("title not found upstream")
)
