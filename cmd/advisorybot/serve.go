package main

import (
	"errors"
	"flag"
	"fmt"
)

func (e *environment) serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("data", "", "review directory (default: embedded catalog)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if _, err := e.loadCatalog(*dir); err != nil {
		return err
	}
	return errors.New("no chat platform is configured yet: serve needs the Discord or Slack adapter (not built yet); use `advisorybot chat` to try the bot in a terminal")
}
