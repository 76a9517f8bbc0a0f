package bot

import (
	"context"
	"time"

	"advisorybot/bot/catalog"
)

// The interfaces below are what the bot needs from the outer ring. Each is
// small; adapters/memory and adapters/redis implement them.

// CatalogSource hands out the catalog currently serving; a reload swaps it.
type CatalogSource interface {
	Current() *catalog.Catalog
}

// Cache is the shared tier (Redis) of the upstream cache: TMDB's answers,
// under keys that start "upstream:".
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Settings holds per-community settings; they must outlive a restart.
type Settings interface {
	Profile(ctx context.Context, community string) (Profile, bool, error)
	SetProfile(ctx context.Context, community string, p Profile) error
}

// Profile is what "family-safe" means in a community.
type Profile struct {
	// Age is the age a verdict is given for when the question names none.
	Age int `json:"age"`
	// Country is the rating country (ISO 3166-1, e.g. "US"); "" means the default.
	Country string `json:"country,omitempty"`
	// Visibility is "private" (answers only the asker sees) or "public"; "" means the default.
	Visibility string `json:"visibility,omitempty"`
}

// StaticCatalog serves one catalog forever.
type StaticCatalog struct{ C *catalog.Catalog }

// Current returns the catalog.
func (s StaticCatalog) Current() *catalog.Catalog { return s.C }
