// Package data embeds the curated reviews shipped as the default catalog.
package data

import (
	"embed"
	"io/fs"
)

//go:embed reviews/*.json
var reviews embed.FS

// Reviews returns the embedded review files, one JSON file per title at the root.
func Reviews() fs.FS {
	sub, err := fs.Sub(reviews, "reviews")
	if err != nil {
		// fs.Sub only fails on an invalid path literal, which is fixed at compile time.
		panic(err)
	}
	return sub
}
