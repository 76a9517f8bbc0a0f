package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/bot/search"
)

// Sources a title can come from.
const (
	SourceCurated = "curated"
	SourceTMDB    = "tmdb"
)

// upstreamIDPrefix marks title IDs that name an upstream title rather than a
// curated review: "tmdb:film:1234", "tmdb:show:99".
const upstreamIDPrefix = "tmdb:"

// upstreamID is the title ID of an upstream title.
func upstreamID(ref UpstreamRef) string {
	return upstreamIDPrefix + string(ref.Kind) + ":" + strconv.Itoa(ref.ID)
}

// parseUpstreamID reads what upstreamID wrote.
func parseUpstreamID(id string) (UpstreamRef, bool) {
	rest, ok := strings.CutPrefix(id, upstreamIDPrefix)
	if !ok {
		return UpstreamRef{}, false
	}
	kind, num, ok := strings.Cut(rest, ":")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n <= 0 || (MediaKind(kind) != MediaFilm && MediaKind(kind) != MediaShow) {
		return UpstreamRef{}, false
	}
	return UpstreamRef{Kind: MediaKind(kind), ID: n}, true
}

// candidate is one title a question may mean.
type candidate struct {
	review *catalog.Review // a curated review, or
	up     *UpstreamTitle  // an upstream title
}

func (c candidate) ref() TitleRef {
	if c.review != nil {
		return curatedRef(c.review)
	}
	return TitleRef{ID: upstreamID(c.up.Ref), Title: c.up.Title, Year: c.up.Year, Kind: c.up.Ref.Kind, Source: SourceTMDB, TMDBID: c.up.Ref.ID}
}

func curatedRef(r *catalog.Review) TitleRef {
	return TitleRef{ID: r.ID, Title: r.Title, Year: r.Year, Rating: r.Rating.Value, Kind: mediaOf(r.Kind), Source: SourceCurated,
		Country: rating.System(r.Rating.System).Country()}
}

// mediaOf maps a review's kind ("movie", "series") to a MediaKind.
func mediaOf(kind string) MediaKind {
	if kind == "series" {
		return MediaShow
	}
	return MediaFilm
}

// found is what a search across the sources yields.
type found struct {
	hits        []candidate
	suggestions []TitleRef
	// upErr is why the upstream could not be asked (nil when it answered or
	// is not configured); curated hits are still good.
	upErr error
	// stale is the age of an upstream answer served from the cache because
	// the upstream could not be reached; 0 for fresh answers.
	stale time.Duration
	// alone is true when one curated title was found without a year and the
	// upstream could not say whether others share its name.
	alone bool
}

// maxCandidates bounds a disambiguation list: each upstream candidate
// costs a details lookup for its certification.
const maxCandidates = 5

// find looks a title up: the curated catalog first, then the upstream for
// titles it lacks. Same-name titles from both are all returned (the user
// picks); a curated review wins over an upstream title of the same name,
// year and kind.
func (b *Bot) find(ctx context.Context, cat *catalog.Catalog, title string, year int) found {
	norm := search.Normalize(title)
	res := resolve(cat, norm, year)
	var f found
	for _, h := range res.Hits {
		if r, ok := cat.Review(h.ID); ok {
			f.hits = append(f.hits, candidate{review: r})
		}
	}
	f.suggestions = refs(cat, res.Suggestions)
	if b.upstream == nil {
		f.alone = len(f.hits) == 1 && year == 0
		return f
	}
	titles, stale, err := b.upstream.Search(ctx, title, year)
	if err != nil {
		f.upErr = err
		f.alone = len(f.hits) == 1 && year == 0
		return f
	}
	f.stale = stale
	// guessed: the catalog matched only within a few typos. If the upstream
	// has the exact name, the typo match was a guess: it becomes a suggestion.
	guessed := res.Kind != search.Exact && len(f.hits) > 0
	var near []TitleRef
	for i := range titles {
		t := &titles[i]
		if year != 0 && t.Year != year {
			continue
		}
		if !sameName(norm, t) {
			near = append(near, candidate{up: t}.ref())
			continue
		}
		if coveredByCurated(f.hits, t) {
			continue
		}
		if guessed {
			f.suggestions = append(refsOf(f.hits), f.suggestions...)
			f.hits, guessed = nil, false
		}
		f.hits = append(f.hits, candidate{up: t})
	}
	if len(f.hits) == 0 {
		f.suggestions = append(f.suggestions, near...)
	}
	if len(f.hits) > maxCandidates {
		f.hits = f.hits[:maxCandidates]
	}
	if len(f.suggestions) > maxCandidates {
		f.suggestions = f.suggestions[:maxCandidates]
	}
	return f
}

// sameName reports whether an upstream title carries the asked name.
func sameName(norm string, t *UpstreamTitle) bool {
	return search.Normalize(t.Title) == norm || (t.OriginalTitle != "" && search.Normalize(t.OriginalTitle) == norm)
}

// coveredByCurated reports whether a curated hit is the same title.
func coveredByCurated(hits []candidate, t *UpstreamTitle) bool {
	for _, h := range hits {
		if h.review != nil && sameTitle(curatedRef(h.review), t) {
			return true
		}
	}
	return false
}

// sameTitle reports whether a title and an upstream one are the same work:
// one name (normalised), one year, one kind.
func sameTitle(r TitleRef, t *UpstreamTitle) bool {
	return r.Year == t.Year && r.Kind == t.Ref.Kind && search.Normalize(r.Title) == search.Normalize(t.Title)
}

func refsOf(cs []candidate) []TitleRef {
	out := make([]TitleRef, len(cs))
	for i, c := range cs {
		out[i] = c.ref()
	}
	return out
}

// rated adds each upstream candidate's certification for country to its
// reference, for a disambiguation list. Lookups run concurrently; one that
// fails or runs out of time leaves its title without a rating.
func (b *Bot) rated(ctx context.Context, cs []candidate, country string) ([]TitleRef, time.Duration) {
	out := refsOf(cs)
	if b.upstream == nil {
		return out, 0
	}
	var (
		g     errgroup.Group
		mu    sync.Mutex
		stale time.Duration // the oldest details served from the cache
	)
	for i, c := range cs {
		if c.up == nil {
			continue
		}
		g.Go(func() error {
			d, age, err := b.upstream.Details(ctx, c.up.Ref)
			if err != nil {
				return nil
			}
			mu.Lock()
			stale = max(stale, age)
			mu.Unlock()
			if ch, err := certify(d, country); err == nil {
				out[i].Rating, out[i].Country = ch.Rating.Value, ch.Country
			}
			return nil
		})
	}
	_ = g.Wait()
	return out, stale
}

// upstreamProblem words an upstream failure for the user.
func upstreamProblem(err error) Problem {
	if errors.Is(err, ErrUpstreamAuth) {
		return Problem{Code: ProblemUpstreamConfig, Message: "The ratings service is not set up correctly, so I can only answer for titles I have reviewed.",
			Next: "The bot's operator has been told (TMDB refused its credentials)."}
	}
	return Problem{Code: ProblemUpstreamDown, Message: "The ratings service (TMDB) cannot be reached right now, so I can only answer for titles I have reviewed.",
		Next: "Please try again in a few minutes."}
}

// staleNote says how old data served from the cache is, when that
// matters (over a day); what names the data ("this rating").
func staleNote(what string, age time.Duration) string {
	if age < 24*time.Hour {
		return ""
	}
	days := int(age / (24 * time.Hour))
	unit := "days"
	if days == 1 {
		unit = "day"
	}
	return fmt.Sprintf("The ratings service cannot be reached: %s from my cache, %d %s old.", what, days, unit)
}
