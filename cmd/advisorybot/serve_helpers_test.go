package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/internal/syncbuf"
)

// runServe runs `advisorybot serve` in process with env. stop ends it and
// returns its exit code (the first call waits, later ones repeat the
// code); it also runs when the test ends.
func runServe(t *testing.T, env map[string]string) (stderr *syncbuf.Buffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", "../../testdata/reviews"}, strings.NewReader(""), io.Discard, stderr,
			func(k string) string { return env[k] })
	}()
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(15 * time.Second): // a safety net: serve should stop at once
				t.Errorf("serve did not stop:\n%s", stderr)
				code = -1
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return stderr, stop
}

// startDiscordServe is runServe whose stop checks that serve exited 0;
// it also runs when the test ends.
func startDiscordServe(t *testing.T, env map[string]string) (*syncbuf.Buffer, func()) {
	t.Helper()
	stderr, stop := runServe(t, env)
	exited0 := sync.OnceFunc(func() {
		if code := stop(); code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr)
		}
	})
	t.Cleanup(exited0)
	return stderr, exited0
}

// startServe runs `advisorybot serve` in process with env; it stops, and
// must exit 0, when the test ends.
func startServe(t *testing.T, env map[string]string) *syncbuf.Buffer {
	t.Helper()
	stderr, _ := startDiscordServe(t, env)
	return stderr
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
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
