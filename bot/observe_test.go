package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/bot/cache"
)

// nothingUpstream knows no title.
type nothingUpstream struct{}

func (nothingUpstream) Search(context.Context, string, int) ([]UpstreamTitle, error) { return nil, nil }
func (nothingUpstream) Details(context.Context, UpstreamRef) (UpstreamDetails, error) {
	return UpstreamDetails{}, ErrUpstreamNotFound
}

// cacheRecorder is an Observer and a CacheObserver.
type cacheRecorder struct {
	mu      sync.Mutex
	answers []Status
	lookups []string
}

func (r *cacheRecorder) Answered(_ context.Context, _ Request, reply Reply, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answers = append(r.answers, reply.Status)
}

func (r *cacheRecorder) CacheLookup(name string, e cache.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookups = append(r.lookups, name+":"+e.Tier()+"/"+e.Result())
}

// TestObserverSeesCacheLookups: an Observer that is also a CacheObserver is
// told what the upstream cache found, per cache and tier.
func TestObserverSeesCacheLookups(t *testing.T) {
	rec := &cacheRecorder{}
	b := New(Config{Catalog: StaticCatalog{C: shippedCatalog(t)}, Upstream: nothingUpstream{}, Observer: rec, Limits: DefaultLimits()})
	ask := func() {
		b.Handle(context.Background(), Request{Platform: "test", Kind: KindText, Text: "is Zzyzx Road family-safe?"})
	}
	ask()
	ask()
	if got, want := strings.Join(rec.lookups, " "), "search:l1/miss search:load/ok search:l1/hit"; got != want {
		t.Errorf("cache lookups %q, want %q", got, want)
	}
	if len(rec.answers) != 2 || rec.answers[0] != StatusNotFound {
		t.Errorf("answers %v, want two not_found", rec.answers)
	}
}
