package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"advisorybot/internal/syncbuf"
)

// startServe runs `advisorybot serve` in process with env; it stops, and
// must exit 0, when the test ends.
func startServe(t *testing.T, env map[string]string) *syncbuf.Buffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", "../../testdata/reviews"}, strings.NewReader(""), io.Discard, stderr,
			func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, stderr)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop:\n%s", stderr)
		}
	})
	return stderr
}
