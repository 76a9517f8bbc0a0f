package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"advisorybot/bot/catalog"
)

// validate checks review files: a directory (every *.json in it, and the
// set as a whole), one file, or the catalog serve would load. It prints
// every problem in every file, one a line, and fails if there is any.
func (e *environment) validate(args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("%w: validate takes at most one directory or file", errUsage)
	}
	dir := ""
	if len(args) == 1 {
		dir = args[0]
	}
	if dir == "" {
		dir = e.getenv("ADVISORYBOT_DATA")
	}
	if dir != "" {
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s does not exist", dir)
		case err != nil:
			return fmt.Errorf("reading %s: %w", dir, err)
		case fi.Mode().IsRegular():
			return e.validateFile(dir)
		case !fi.IsDir():
			return fmt.Errorf("%s is neither a directory nor a review file", dir)
		}
	}
	fsys, name := e.reviews(dir)
	c, err := catalog.Load(e.ctx, fsys)
	if err != nil {
		return e.problems(name, dir, err)
	}
	fmt.Fprintf(e.stdout, "%s: %d review(s) OK (version %s)\n", name, c.Len(), c.Version())
	return nil
}

// validateFile checks one review file on its own.
func (e *environment) validateFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if _, errs := catalog.Parse(filepath.Base(path), data); len(errs) > 0 {
		return e.problems(path, filepath.Dir(path), errors.Join(errs...))
	}
	fmt.Fprintf(e.stdout, "%s: OK\n", path)
	return nil
}

// problems prints each problem of err, its file named by its path under
// dir (none for the embedded catalog), and returns the summary error.
func (e *environment) problems(name, dir string, err error) error {
	errs := unjoin(err)
	files := map[string]bool{}
	for _, p := range errs {
		var fe *catalog.FieldError
		if errors.As(p, &fe) {
			files[fe.File] = true
			if dir != "" {
				c := *fe
				c.File = filepath.Join(dir, fe.File)
				p = &c
			}
		}
		fmt.Fprintln(e.stdout, p)
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: %d problem(s)", name, len(errs))
	}
	return fmt.Errorf("%s: %d problem(s) in %d file(s)", name, len(errs), len(files))
}

// unjoin lists the errors inside an errors.Join.
func unjoin(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		return j.Unwrap()
	}
	return []error{err}
}
