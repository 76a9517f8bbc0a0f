package catalog

import (
	"sync"

	"advisorybot/bot/search"
)

// Catalog is a loaded, validated, searchable set of reviews. It is immutable;
// a reload builds a new one.
type Catalog struct {
	version string
	byID    map[string]*Review
	index   *search.Index
	// derived holds what users compute from this catalog (see Derived).
	derived sync.Map
}

// New builds a catalog from reviews already validated. version identifies
// the content, so caches keyed by it never serve answers from older data.
func New(reviews []*Review, version string) *Catalog {
	c := &Catalog{version: version, byID: make(map[string]*Review, len(reviews))}
	entries := make([]search.Entry, 0, len(reviews))
	for _, r := range reviews {
		c.byID[r.ID] = r
		aka := append([]string(nil), r.AKA...)
		if r.OriginalTitle != "" {
			aka = append(aka, r.OriginalTitle)
		}
		entries = append(entries, search.Entry{ID: r.ID, Title: r.Title, Year: r.Year, AKA: aka})
	}
	c.index = search.Build(entries)
	return c
}

// Derived returns the value its users keep for key alongside this catalog
// (the bot's memo of answers), made by mk on first use. It lives exactly as
// long as the catalog: a reload drops it with the old catalog.
func (c *Catalog) Derived(key any, mk func() any) any {
	if v, ok := c.derived.Load(key); ok {
		return v
	}
	v, _ := c.derived.LoadOrStore(key, mk())
	return v
}

// Version identifies the catalog's content.
func (c *Catalog) Version() string { return c.version }

// Len is the number of reviews.
func (c *Catalog) Len() int { return len(c.byID) }

// Review returns a review by id.
func (c *Catalog) Review(id string) (*Review, bool) {
	r, ok := c.byID[id]
	return r, ok
}

// Search looks a title up; year > 0 restricts it to that year.
func (c *Catalog) Search(title string, year int) search.Result {
	return c.index.Search(title, year)
}

// SearchKey is Search for a title already normalised with search.Normalize.
func (c *Catalog) SearchKey(key string, year int) search.Result {
	return c.index.SearchKey(key, year)
}

// Prefix lists titles starting with prefix, for autocomplete.
func (c *Catalog) Prefix(prefix string, limit int) []search.Entry {
	return c.index.Prefix(prefix, limit)
}
