package bot

import (
	"context"
	"reflect"
	"testing"

	"advisorybot/bot/search"
)

func TestResultEncoding(t *testing.T) {
	cat := fixtureCatalog(t)
	entry := func(id string) search.Entry {
		r, _ := cat.Review(id)
		return search.Entry{ID: r.ID, Title: r.Title, Year: r.Year, AKA: r.AKA}
	}
	for name, r := range map[string]search.Result{
		"none":      {},
		"one hit":   {Kind: search.Exact, Hits: []search.Entry{entry("ballerina-2023")}},
		"same name": {Kind: search.Exact, Hits: []search.Entry{entry("ballerina-2016"), entry("ballerina-2023")}},
		"suggested": {Suggestions: []search.Entry{entry("fixture-storm-harbor"), entry("fixture-meadow-friends")}},
		"fuzzy":     {Kind: search.Fuzzy, Hits: []search.Entry{entry("fixture-storm-harbor")}},
	} {
		t.Run(name, func(t *testing.T) {
			b := encodeResult(r)
			got, ok := decodeResult(cat, b)
			if !ok || !reflect.DeepEqual(got, r) {
				t.Fatalf("round trip of %+v gave %+v, %v", r, got, ok)
			}
			if len(r.Hits) == 1 && len(b) > 1+1+1+len(r.Hits[0].ID)+1 {
				t.Errorf("%d bytes for one id: not compact", len(b))
			}
			for i := range b {
				if _, ok := decodeResult(cat, b[:i]); ok {
					t.Errorf("decoded a truncated value (%d of %d bytes)", i, len(b))
				}
			}
		})
	}
	// An id the catalog does not have (another catalog's value) is not used.
	if _, ok := decodeResult(cat, encodeResult(search.Result{Hits: []search.Entry{{ID: "gone-1999"}}})); ok {
		t.Error("decoded an id missing from the catalog")
	}
}

func FuzzDecodeResult(f *testing.F) {
	cat := fixtureCatalog(f)
	f.Add(encodeResult(search.Result{Kind: search.Exact, Hits: []search.Entry{{ID: "ballerina-2023"}}}))
	f.Add([]byte{1, 2, 14})
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, ok := decodeResult(cat, b)
		if !ok {
			return
		}
		if again, ok := decodeResult(cat, encodeResult(r)); !ok || !reflect.DeepEqual(again, r) {
			t.Fatalf("decoded %+v does not survive a round trip", r)
		}
	})
}

// TestLookupCachedPerCatalog: the bot's lookups go through the cache, and
// a reload starts a fresh one.
func TestLookupCachedPerCatalog(t *testing.T) {
	a, b := fixtureCatalog(t), fixtureCatalog(t)
	bt := New(Config{Catalog: StaticCatalog{a}})
	year := 2023
	q := Query{Title: "Ballerina", Year: &year}
	ctx := context.Background()
	bt.lookup(ctx, a, lookupKey(q))
	bt.lookup(ctx, a, lookupKey(q))
	first := bt.lookups.cur.Load()
	if s := first.cache.Stats(); s.Loads != 1 || s.L1Hits != 1 {
		t.Fatalf("stats %+v; want one load then one L1 hit", s)
	}
	bt.lookup(ctx, b, lookupKey(q))
	if bt.lookups.cur.Load() == first {
		t.Fatal("a new catalog reused the old catalog's cache")
	}
	off := New(Config{Catalog: StaticCatalog{a}, Limits: Limits{LocalCacheSize: -1}})
	if got := off.lookup(ctx, a, lookupKey(q)); len(got.Hits) != 1 || off.lookups.cur.Load().cache != nil {
		t.Fatalf("with no cache at all: %+v", got)
	}
}
