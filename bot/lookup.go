package bot

import (
	"context"
	"fmt"

	"advisorybot/catalog"
	"advisorybot/search"
)

// lookup searches the catalog. A trailing number read as a year may belong
// to the title ("Death Race 2000"), so that reading is tried when the first fails.
func (b *Bot) lookup(_ context.Context, cat *catalog.Catalog, q Query) search.Result {
	year := 0
	if q.Year != nil {
		year = *q.Year
	}
	res := cat.Search(q.Title, year)
	if len(res.Hits) == 0 && year > 0 {
		if alt := cat.Search(fmt.Sprintf("%s %d", q.Title, year), 0); alt.Kind == search.Exact {
			return alt
		}
	}
	return res
}
