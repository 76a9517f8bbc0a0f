package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// defaultProbeTimeout bounds `advisorybot probe`: shorter than the usual
// healthcheck timeouts (Docker's default is 30 s, compose.yaml's 3 s).
const defaultProbeTimeout = 2 * time.Second

// probe runs `advisorybot probe [--timeout D] URL`: one GET, exit 0 on a
// 2xx answer and 1 otherwise, printing the status and the start of the
// body. It is the container's healthcheck: the image has no shell or curl.
func (e *environment) probe(args []string) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	timeout := fs.Duration("timeout", defaultProbeTimeout, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 || *timeout <= 0 {
		return fmt.Errorf("%w: advisorybot probe [--timeout 2s] URL", errUsage)
	}
	u, err := url.Parse(fs.Arg(0))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: probe: %q is not an http(s) URL", errUsage, fs.Arg(0))
	}
	ctx, cancel := context.WithTimeout(e.ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	// No redirects: a probe that lands elsewhere is not this process's.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	fmt.Fprintf(e.stdout, "%s\n%s", resp.Status, body)
	if !strings.HasSuffix(string(body), "\n") && len(body) > 0 {
		fmt.Fprintln(e.stdout)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("probe: %s answered %s", u.Redacted(), resp.Status)
	}
	return nil
}
