package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
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

// slackSigned is the headers of a form body Slack signs with secret now
// (v0 scheme), as its slash commands and interactions arrive.
func slackSigned(secret, body string) http.Header {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	return h
}
