// Package tmdbtest is a fake TMDB (API v3) for tests, written from TMDB's
// documented response shapes: title search, film and show details with
// release dates, content ratings and alternative titles, TMDB's error
// bodies, and its authentication (Bearer token or api_key). It serves a
// small fixture set (see the constants) and can be told to fail: 401, 404,
// 429 with Retry-After, 5xx once or always, slow answers. It counts the
// requests per path, so a test can assert that no TMDB request was made.
//
// New serves on 127.0.0.1; with InMemory it serves over in-process pipes
// instead, for tests inside a testing/synctest bubble (where time is fake,
// a goroutine blocked on a socket would stop the clock).
package tmdbtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"advisorybot/adapters/tmdb"
)

// Credentials the fake accepts, like TMDB's read access token and v3 key.
const (
	Token  = "tmdbtest-read-access-token"
	APIKey = "tmdbtest-v3-api-key"
)

// Request is one request the fake received.
type Request struct {
	// Path is relative to the API root, e.g. "/search/multi", "/movie/900101".
	Path  string
	Query url.Values
	// Auth is "bearer", "api_key" or "" (none), whether accepted or not.
	Auth string
}

// Server is a fake TMDB. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API root to configure (TMDB_API_URL), ending in "/3".
	URL string

	client *http.Client
	close  func()

	mu       sync.Mutex
	log      []Request
	failure  failure
	delay    time.Duration
	requests map[string]int
}

type failure struct {
	status     int
	retryAfter string
	left       int // requests still to fail; -1 for every request
}

// Option configures New.
type Option func(*options)

type options struct{ inMemory bool }

// InMemory serves over in-process pipes instead of 127.0.0.1. Use it inside
// a testing/synctest bubble (call New there) and reach the server through
// Client or Config: URL's host does not exist.
func InMemory() Option { return func(o *options) { o.inMemory = true } }

// New starts a fake TMDB and closes it when the test ends.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	s := &Server{requests: map[string]int{}}
	if o.inMemory {
		s.startInMemory()
	} else {
		srv := httptest.NewServer(s.Handler())
		s.URL, s.client, s.close = srv.URL+"/3", srv.Client(), srv.Close
	}
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server; New arranges it at the end of the test.
func (s *Server) Close() { s.close() }

// Client returns an HTTP client that reaches the server.
func (s *Server) Client() *http.Client { return s.client }

// Config returns a client configuration pointing at the server with a
// valid token.
func (s *Server) Config() tmdb.Config {
	return tmdb.Config{Token: Token, BaseURL: s.URL, HTTPClient: s.client}
}

// Fail makes the next n requests (every request while n <= 0, until Heal)
// answer status with TMDB's error body, before the credential is checked.
// It replaces any failure set before.
func (s *Server) Fail(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = failure{status: status, left: count(n)}
}

// RateLimit makes the next n requests (every request while n <= 0) answer
// 429 with Retry-After: retryAfter (seconds, as TMDB sends it; "" sends no
// header). It replaces any failure set before.
func (s *Server) RateLimit(retryAfter string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = failure{status: http.StatusTooManyRequests, retryAfter: retryAfter, left: count(n)}
}

// Slow delays every answer by d (0 ends it); a delayed answer ends early
// when the client gives up.
func (s *Server) Slow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Heal ends failures and slowness.
func (s *Server) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure, s.delay = failure{}, 0
}

// Requests counts the requests to path (relative to the API root, e.g.
// "/search/multi"), answered or failed.
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// Total counts every request.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// Log returns the requests received, oldest first.
func (s *Server) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetCounts forgets the requests received.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log, s.requests = nil, map[string]int{}
}

func count(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// Handler is the fake's HTTP handler, rooted at "/3" like TMDB.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /3/search/multi", s.searchMulti)
	mux.HandleFunc("GET /3/search/movie", s.searchMovie)
	mux.HandleFunc("GET /3/search/tv", s.searchTV)
	mux.HandleFunc("GET /3/movie/{id}", s.movie)
	mux.HandleFunc("GET /3/movie/{id}/{part}", s.moviePart)
	mux.HandleFunc("GET /3/tv/{id}", s.tv)
	mux.HandleFunc("GET /3/tv/{id}/{part}", s.tvPart)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { writeError(w, http.StatusNotFound) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.intercept(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// intercept records the request, waits as Slow says, then answers a
// scripted failure or a refused credential; false lets the route answer.
func (s *Server) intercept(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	req := Request{Path: strings.TrimPrefix(r.URL.Path, "/3"), Query: q}
	auth := r.Header.Get("Authorization")
	switch {
	case auth != "":
		req.Auth = "bearer"
	case q.Has("api_key"):
		req.Auth = "api_key"
	}
	s.mu.Lock()
	s.log = append(s.log, req)
	s.requests[req.Path]++
	delay := s.delay
	f := s.failure
	if f.left > 0 {
		s.failure.left--
	}
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.left != 0 && f.status != 0 {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		writeError(w, f.status)
		return true
	}
	// TMDB accepts either credential; a wrong one is refused even when the
	// other is right.
	bearerOK := auth == "Bearer "+Token
	keyOK := q.Get("api_key") == APIKey
	if (auth != "" && !bearerOK) || (q.Has("api_key") && !keyOK) || (!bearerOK && !keyOK) {
		writeError(w, http.StatusUnauthorized)
		return true
	}
	return false
}

// startInMemory serves over net.Pipe connections handed out by a listener
// made of channels, all of which synctest counts as durably blocking.
func (s *Server) startInMemory() {
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: s.Handler()}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	tr := &http.Transport{DialContext: l.dial, ForceAttemptHTTP2: false}
	s.URL = "http://tmdb.invalid/3"
	s.client = &http.Client{Transport: tr}
	var once sync.Once
	s.close = func() {
		once.Do(func() {
			tr.CloseIdleConnections()
			_ = srv.Close()
			<-served
		})
	}
}

type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "tmdbtest" }
