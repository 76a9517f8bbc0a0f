package bot

import (
	"strconv"

	"advisorybot/bot/catalog"
	"advisorybot/bot/search"
)

// resolve finds a normalised title in the catalog. A trailing number read
// as a year may belong to the title ("Death Race 2000"), so that reading is
// tried when the first fails.
//
// Catalog searches are not cached: the index is in memory and answers in
// microseconds, less than a cache's own bookkeeping and far less than a
// shared cache's round trip. The two-tier cache is for the upstream.
func resolve(cat *catalog.Catalog, norm string, year int) search.Result {
	res := cat.SearchKey(norm, year)
	if len(res.Hits) == 0 && year > 0 {
		if alt := cat.SearchKey(norm+" "+strconv.Itoa(year), 0); alt.Kind == search.Exact {
			return alt
		}
	}
	return res
}
