package main

import (
	"errors"
	"fmt"

	"advisorybot/bot/catalog"
)

func (e *environment) validate(args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("%w: validate takes at most one directory", errUsage)
	}
	dir := ""
	if len(args) == 1 {
		dir = args[0]
	}
	fsys, name := e.reviews(dir)
	c, err := catalog.Load(fsys)
	if err != nil {
		var n int
		for _, p := range unjoin(err) {
			fmt.Fprintln(e.stdout, p)
			n++
		}
		return fmt.Errorf("%s: %d problem(s)", name, n)
	}
	fmt.Fprintf(e.stdout, "%s: %d review(s) OK (version %s)\n", name, c.Len(), c.Version())
	return nil
}

// unjoin lists the errors inside an errors.Join.
func unjoin(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		return j.Unwrap()
	}
	return []error{err}
}
