package bot

import (
	"context"
	"encoding/binary"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"advisorybot/bot/cache"
	"advisorybot/bot/catalog"
	"advisorybot/bot/search"
)

// lookup resolves a title, given its lookupKey: from the lookup cache when
// it can, else by searching the catalog. A trailing number read as a year
// may belong to the title ("Death Race 2000"), so that reading is tried
// when the first fails.
//
// The cache is made for one catalog, so its in-process keys need no
// version; in the shared tier they are "lookup:<catalog version>:<key>": a
// catalog change changes the version, so no answer from older data is ever
// served. Found titles are kept for Limits.CacheTTL, misses for the shorter
// Limits.NegativeCacheTTL. Concurrent misses for one key search once.
func (b *Bot) lookup(ctx context.Context, cat *catalog.Catalog, key string) search.Result {
	norm, year := splitLookupKey(key)
	lc := b.lookups.forCatalog(cat, &b.cfg)
	if lc == nil || norm == "" {
		return resolve(cat, norm, year)
	}
	res, err := lc.Get(ctx, key, func(context.Context) (search.Result, time.Duration, error) {
		r := resolve(cat, norm, year)
		if len(r.Hits) == 0 {
			return r, b.cfg.Limits.NegativeCacheTTL, nil
		}
		return r, b.cfg.Limits.CacheTTL, nil
	})
	if err != nil { // resolving cannot fail; keep answering if it ever does
		b.log.WarnContext(ctx, "lookup cache failed; searching directly", "err", err)
		return resolve(cat, norm, year)
	}
	return res
}

// lookupKey is "<normalised title>:<year>" (year 0 when none was given).
// The title is normalised once, here: Normalize is not idempotent.
func lookupKey(q Query) string {
	year := 0
	if q.Year != nil {
		year = *q.Year
	}
	return search.Normalize(q.Title) + ":" + strconv.Itoa(year)
}

func splitLookupKey(key string) (norm string, year int) {
	i := strings.LastIndexByte(key, ':')
	if i < 0 {
		return "", 0
	}
	year, _ = strconv.Atoi(key[i+1:]) // written by lookupKey: always a number
	return key[:i], year
}

// resolve searches the catalog for a normalised title. It depends on
// nothing but its arguments, which is what makes its result cacheable.
func resolve(cat *catalog.Catalog, norm string, year int) search.Result {
	res := cat.SearchKey(norm, year)
	if len(res.Hits) == 0 && year > 0 {
		if alt := cat.SearchKey(norm+" "+strconv.Itoa(year), 0); alt.Kind == search.Exact {
			return alt
		}
	}
	return res
}

// lookupCache holds the bot's two-tier lookup cache for the catalog
// serving now; a reload starts a new one (its keys could never match).
type lookupCache struct {
	cur atomic.Pointer[catalogLookups]
}

type catalogLookups struct {
	cat   *catalog.Catalog
	cache *cache.Cache[search.Result] // nil: caching disabled
}

func (lc *lookupCache) forCatalog(cat *catalog.Catalog, cfg *Config) *cache.Cache[search.Result] {
	p := lc.cur.Load()
	if p != nil && p.cat == cat {
		return p.cache
	}
	n := &catalogLookups{cat: cat}
	if cfg.Limits.LocalCacheSize >= 0 || cfg.Cache != nil {
		o := cache.Options[search.Result]{
			Size:     cfg.Limits.LocalCacheSize,
			Encode:   encodeResult,
			Decode:   func(b []byte) (search.Result, bool) { return decodeResult(cat, b) },
			Logger:   cfg.Logger,
			L2Prefix: "lookup:" + cat.Version() + ":",
		}
		if cfg.Cache != nil {
			o.L2 = cfg.Cache
		}
		n.cache = cache.New(o)
	}
	if lc.cur.CompareAndSwap(p, n) {
		return n.cache
	}
	if p = lc.cur.Load(); p != nil && p.cat == cat {
		return p.cache // another request set it up first
	}
	return n.cache
}

// encodeResult writes a result compactly: the match kind, then the hit IDs
// and the suggestion IDs, each list as a count and length-prefixed IDs.
// Titles and years are not stored: the catalog of the key's version has them.
func encodeResult(r search.Result) []byte {
	n := 1 + 2*binary.MaxVarintLen32
	for _, e := range r.Hits {
		n += binary.MaxVarintLen32 + len(e.ID)
	}
	for _, e := range r.Suggestions {
		n += binary.MaxVarintLen32 + len(e.ID)
	}
	b := make([]byte, 0, n)
	b = append(b, byte(r.Kind))
	for _, list := range [][]search.Entry{r.Hits, r.Suggestions} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, e := range list {
			b = binary.AppendUvarint(b, uint64(len(e.ID)))
			b = append(b, e.ID...)
		}
	}
	return b
}

// decodeResult reads what encodeResult wrote, looking the IDs up in cat. It
// reports false for bytes it cannot read or IDs the catalog does not have.
func decodeResult(cat *catalog.Catalog, b []byte) (search.Result, bool) {
	if len(b) < 1 {
		return search.Result{}, false
	}
	r := search.Result{Kind: search.MatchKind(b[0])}
	b = b[1:]
	for _, list := range []*[]search.Entry{&r.Hits, &r.Suggestions} {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return search.Result{}, false
		}
		b = b[k:]
		if n > 0 {
			*list = make([]search.Entry, 0, n)
		}
		for range n {
			l, k := binary.Uvarint(b)
			if k <= 0 || l > uint64(len(b)-k) {
				return search.Result{}, false
			}
			rv, ok := cat.Review(string(b[k : k+int(l)]))
			if !ok {
				return search.Result{}, false
			}
			b = b[k+int(l):]
			*list = append(*list, search.Entry{ID: rv.ID, Title: rv.Title, Year: rv.Year, AKA: rv.AKA})
		}
	}
	if len(b) != 0 {
		return search.Result{}, false
	}
	return r, true
}
