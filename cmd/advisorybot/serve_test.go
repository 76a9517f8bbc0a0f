package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

// pipeListener is a net.Listener over net.Pipe, so an HTTP server and its
// clients can run inside a synctest bubble.
type pipeListener struct {
	conns     chan net.Conn
	closed    chan struct{}
	closeOnce sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, errors.New("connection refused")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// TestServeHTTPDrainsBeforeReturning: once told to stop, the HTTP server
// returns only after the request in flight has been answered, so serve
// closes the shared state after the handlers that use it.
func TestServeHTTPDrainsBeforeReturning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := newPipeListener()
		entered, release := make(chan struct{}), make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			close(entered)
			<-release
			io.WriteString(w, "answered")
		})
		ctx, cancel := context.WithCancel(context.Background())
		e, logs := testEnv(nil)
		served := make(chan error, 1)
		go func() { served <- e.serveHTTP(ctx, ln, h) }()

		client := &http.Client{Transport: &http.Transport{DialContext: ln.dial, DisableKeepAlives: true}}
		type result struct {
			body string
			err  error
		}
		got := make(chan result, 1)
		go func() {
			resp, err := client.Get("http://bot/")
			if err != nil {
				got <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			got <- result{string(b), err}
		}()

		<-entered
		cancel()
		synctest.Wait() // every goroutine has done what it can without the handler
		var servedErr error
		returned := false
		select {
		case servedErr = <-served:
			returned = true
			t.Errorf("serveHTTP returned (%v) while a request was still being answered", servedErr)
		default:
		}
		if _, err := client.Get("http://bot/"); err == nil {
			t.Error("a new request was accepted after shutdown began")
		}

		close(release)
		if r := <-got; r.err != nil || r.body != "answered" {
			t.Errorf("request in flight at shutdown: %q, %v", r.body, r.err)
		}
		if returned {
			// Fake time (synctest): lets the server's orphaned shutdown
			// goroutine notice the drained connection and end with the bubble.
			time.Sleep(time.Second)
		} else {
			servedErr = <-served
		}
		if err := servedErr; !errors.Is(err, context.Canceled) {
			t.Errorf("serveHTTP = %v, want context.Canceled after a clean drain", err)
		}
		if !strings.Contains(logs.String(), "http stopped") {
			t.Errorf("no log line saying the server stopped:\n%s", logs)
		}
	})
}

// TestServeHTTPShutdownIsBounded: a handler that never finishes does not
// hold serve forever; shutdownTimeout later it is cut off with an error.
func TestServeHTTPShutdownIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := newPipeListener()
		entered, release := make(chan struct{}), make(chan struct{})
		defer func() {
			close(release)
			// Fake time (synctest): lets the stuck handler and anything the
			// server left behind end with the bubble.
			time.Sleep(time.Second)
		}()
		h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			close(entered)
			<-release
		})
		ctx, cancel := context.WithCancel(context.Background())
		e, _ := testEnv(nil)
		served := make(chan error, 1)
		go func() { served <- e.serveHTTP(ctx, ln, h) }()
		client := &http.Client{Transport: &http.Transport{DialContext: ln.dial, DisableKeepAlives: true}}
		go func() {
			if resp, err := client.Get("http://bot/"); err == nil {
				resp.Body.Close()
			}
		}()
		<-entered
		start := time.Now()
		cancel()
		err := <-served
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("serveHTTP = %v, want an error saying requests were still in flight", err)
		}
		if waited := time.Since(start); waited != shutdownTimeout {
			t.Errorf("gave up after %v, want %v", waited, shutdownTimeout)
		}
	})
}

// TestServeAnswersInFlightBeforeClosingRedis runs the real serve against a
// real redis-server: a Discord interaction whose Redis command is held (by a
// proxy) when serve is told to stop is answered, its state goes to Redis
// (not to the in-memory fallback of a closed client), and only then does
// serve return.
func TestServeAnswersInFlightBeforeClosingRedis(t *testing.T) {
	rs := redistest.Start(t)
	gate := startRedisGate(t, rs.Addr)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	addr := freeAddr(t)
	env := map[string]string{
		"DISCORD_PUBLIC_KEY": hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		"ADDR":               addr,
		"REDIS_URL":          "redis://" + gate.addr,
		"REDIS_TIMEOUT":      "10s", // the held command must not look like an outage
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", "../../testdata/reviews"}, strings.NewReader(""), io.Discard, logs,
			func(k string) string { return env[k] })
	}()
	waitListening(t, addr, logs)
	keysBefore := dbsize(t, rs.Addr)

	// A question is in flight: its first Redis command is held.
	gate.armed.Store(true)
	type answer struct {
		code int
		body string
		err  error
	}
	answered := make(chan answer, 1)
	req := signedCommand(priv, "1001", "500000000000000005")
	go func() {
		code, body, err := sendRaw(addr, req)
		answered <- answer{code, body, err}
	}()
	select {
	case <-gate.held:
	case <-time.After(10 * time.Second):
		t.Fatalf("the question never reached Redis\n%s", logs)
	}

	cancel()
	// Shutdown has begun once the listener refuses connections. The server
	// closes it on its own goroutine, so the test polls the real socket.
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("serve still accepts connections after being stopped\n%s", logs)
		}
		time.Sleep(5 * time.Millisecond) // give the real server time to close its listener
	}
	select {
	case code := <-done:
		done <- code
		t.Errorf("serve returned (exit %d) while a question was still being answered", code)
	default:
	}

	gate.open()
	a := <-answered
	if a.err != nil || a.code != http.StatusOK || !strings.Contains(a.body, "Ballerina (2023)") {
		t.Fatalf("question in flight at shutdown: %d %q %v\n%s", a.code, a.body, a.err, logs)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d\n%s", code, logs)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop\n%s", logs)
	}
	if keysAfter := dbsize(t, rs.Addr); keysAfter <= keysBefore {
		t.Errorf("the question answered during shutdown left no state in Redis (%d keys before, %d after): Redis was closed under it\n%s", keysBefore, keysAfter, logs)
	}
	if strings.Contains(logs.String(), "redis unavailable") {
		t.Errorf("Redis looked unavailable during shutdown:\n%s", logs)
	}
}

// redisGate is a TCP proxy in front of redis-server. Once armed, it holds
// the next bytes a client sends (a command) and says so on held, until open.
type redisGate struct {
	addr    string
	armed   atomic.Bool
	held    chan struct{}
	release chan struct{}
	once    sync.Once
}

func startRedisGate(t *testing.T, target string) *redisGate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &redisGate{addr: ln.Addr().String(), held: make(chan struct{}, 1), release: make(chan struct{})}
	t.Cleanup(func() { ln.Close(); g.open() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go g.proxy(c, target)
		}
	}()
	return g
}

func (g *redisGate) open() { g.once.Do(func() { close(g.release) }) }

func (g *redisGate) proxy(client net.Conn, target string) {
	defer client.Close()
	server, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			if g.armed.CompareAndSwap(true, false) {
				g.held <- struct{}{}
				<-g.release
			}
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// waitListening waits for serve's "http listening" line.
func waitListening(t *testing.T, addr string, logs *syncbuf.Buffer) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "http listening"); {
		if time.Now().After(deadline) {
			t.Fatalf("serve is not listening on %s:\n%s", addr, logs)
		}
		time.Sleep(5 * time.Millisecond) // serve loads the catalog and connects to Redis first
	}
}

// signedCommand is a raw HTTP request carrying a signed /advisory command
// from user, as Discord sends it to the interactions endpoint.
func signedCommand(priv ed25519.PrivateKey, id, user string) []byte {
	body := fmt.Sprintf(`{"id":%q,"application_id":"200000000000000002","type":2,"token":"tok-%s","version":1,`+
		`"guild_id":"300000000000000003","channel_id":"400000000000000004",`+
		`"member":{"user":{"id":%q,"username":"parent","discriminator":"0"},"roles":[]},`+
		`"data":{"id":"1","name":"advisory","type":1,"options":[{"name":"title","type":3,"value":"Ballerina 2023"}]}}`, id, id, user)
	h := discordtest.Sign(priv, strconv.FormatInt(time.Now().Unix(), 10), []byte(body))
	return fmt.Appendf(nil, "POST /discord/interactions HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nX-Signature-Ed25519: %s\r\nX-Signature-Timestamp: %s\r\nConnection: close\r\n\r\n%s",
		len(body), h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp"), body)
}

// sendRaw sends one raw request on a new connection and returns the answer.
func sendRaw(addr string, req []byte) (int, string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	if _, err := conn.Write(req); err != nil {
		return 0, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// dbsize counts the keys in the test's redis-server.
func dbsize(t *testing.T, addr string) int {
	t.Helper()
	reply, err := redistest.Command(addr, "DBSIZE")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(reply), ":"))
	if err != nil {
		t.Fatalf("DBSIZE replied %q", reply)
	}
	return n
}
