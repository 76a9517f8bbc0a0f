package bot

import (
	"context"
	"testing"

	"advisorybot/bot/catalog"
	"advisorybot/data"
)

// shippedCatalog is the embedded default catalog.
func shippedCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(context.Background(), data.Reviews())
	if err != nil {
		t.Fatalf("loading embedded catalog: %v", err)
	}
	return c
}

func shippedReview(t testing.TB, id string) *catalog.Review {
	t.Helper()
	r, ok := shippedCatalog(t).Review(id)
	if !ok {
		t.Fatalf("no review %q in the embedded catalog", id)
	}
	return r
}
