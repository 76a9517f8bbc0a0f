// Package discordtest is a local fake of Discord for tests: the gateway
// websocket (Hello, Identify, READY, heartbeats, dispatches) and the REST
// endpoints the adapter calls, recording every REST request. It follows
// Discord's documented protocol (API v9, JSON encoding), not any client.
//
// Point discordgo at it with discord.UseAPIBase(fake.URL) before creating
// a session.
package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// Request is one REST call the fake received.
type Request struct {
	Method string
	Path   string // e.g. /api/v9/channels/123/messages
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Request) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Server is a fake Discord. Create it with New.
type Server struct {
	// URL is the base, like https://discord.com/ : http://127.0.0.1:port/
	URL   string
	BotID string
	AppID string

	srv      *httptest.Server
	upgrader websocket.Upgrader

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every new request or identify
	reqs     []Request
	identify []json.RawMessage
	resumes  int
	conn     *websocket.Conn
	wmu      sync.Mutex // serialises websocket writes
	seq      int
	ids      int
}

// New starts a fake Discord; it is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{BotID: "100000000000000001", AppID: "200000000000000002", changed: make(chan struct{})}
	s.upgrader.CheckOrigin = func(*http.Request) bool { return true }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", s.gatewayURL)
	mux.HandleFunc("GET /api/v9/gateway/bot", s.gatewayURL)
	mux.HandleFunc("/gateway/", s.websocket)
	mux.HandleFunc("/gateway", s.websocket)
	mux.HandleFunc("/", s.rest)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/"
	t.Cleanup(s.Close)
	return s
}

// Close disconnects the gateway and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		_ = c.Close()
	}
	s.srv.Close()
}

func (s *Server) wsURL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway" }

func (s *Server) gatewayURL(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.wsURL(), "shards": 1,
		"session_start_limit": map[string]int{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
}

// gateway frames.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d,omitempty"`
	S  *int            `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	c, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	// Hello: the client must heartbeat at this interval.
	if err := s.write(c, map[string]any{"op": 10, "d": map[string]int{"heartbeat_interval": 41250}}); err != nil {
		return
	}
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if err := json.Unmarshal(msg, &f); err != nil {
			return
		}
		switch f.Op {
		case 1: // heartbeat
			if err := s.write(c, map[string]any{"op": 11}); err != nil {
				return
			}
		case 2: // identify
			var id struct {
				Shard *[2]int `json:"shard"`
			}
			_ = json.Unmarshal(f.D, &id)
			shard := [2]int{0, 1}
			if id.Shard != nil {
				shard = *id.Shard
			}
			s.mu.Lock()
			s.conn = c
			s.mu.Unlock()
			ready := map[string]any{
				"v":                  9,
				"user":               map[string]any{"id": s.BotID, "username": "advisory", "discriminator": "0", "bot": true},
				"session_id":         "fake-session",
				"resume_gateway_url": s.wsURL(),
				"guilds":             []any{},
				"application":        map[string]any{"id": s.AppID, "flags": 0},
				"shard":              shard,
			}
			if err := s.dispatch(c, "READY", ready); err != nil {
				return
			}
			s.mu.Lock()
			s.identify = append(s.identify, append(json.RawMessage(nil), f.D...))
			s.signal()
			s.mu.Unlock()
		case 6: // resume
			s.mu.Lock()
			s.conn = c
			s.mu.Unlock()
			if err := s.dispatch(c, "RESUMED", map[string]any{}); err != nil {
				return
			}
			s.mu.Lock()
			s.resumes++
			s.signal()
			s.mu.Unlock()
		}
	}
}

func (s *Server) write(c *websocket.Conn, v any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return c.WriteJSON(v)
}

func (s *Server) dispatch(c *websocket.Conn, t string, d any) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	return s.write(c, frame{Op: 0, T: t, S: &seq, D: data})
}

// Dispatch sends an event (op 0) to the connected client: d is the
// event's data, e.g. an interaction object for INTERACTION_CREATE.
func (s *Server) Dispatch(t string, d any) error {
	c, err := s.client(false)
	if err != nil {
		return fmt.Errorf("dispatching %s: %w", t, err)
	}
	return s.dispatch(c, t, d)
}

// Drop closes the client's gateway connection without a close frame, as
// a network failure would; the server stays up, so the client can resume.
func (s *Server) Drop() error {
	c, err := s.client(true)
	if err != nil {
		return fmt.Errorf("dropping the gateway connection: %w", err)
	}
	return c.Close()
}

// AskReconnect sends Reconnect (op 7): Discord asks the client to close
// the connection and resume on a new one, which it does routinely.
func (s *Server) AskReconnect() error {
	c, err := s.client(false)
	if err != nil {
		return fmt.Errorf("asking to reconnect: %w", err)
	}
	return s.write(c, map[string]any{"op": 7, "d": nil})
}

// client is the identified client's connection; forget leaves the server
// without one.
func (s *Server) client(forget bool) (*websocket.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conn
	if c == nil {
		return nil, errors.New("no client identified")
	}
	if forget {
		s.conn = nil
	}
	return c, nil
}

// WaitResume waits for the n-th (1-based) Resume to have been answered.
func (s *Server) WaitResume(ctx context.Context, n int) error {
	if err := s.wait(ctx, func() bool { return s.resumes >= n }); err != nil {
		return fmt.Errorf("waiting for resume %d: %w", n, err)
	}
	return nil
}

// WaitIdentify waits for the n-th (1-based) Identify and returns its data.
func (s *Server) WaitIdentify(ctx context.Context, n int) (json.RawMessage, error) {
	if err := s.wait(ctx, func() bool { return len(s.identify) >= n }); err != nil {
		return nil, fmt.Errorf("waiting for identify: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identify[n-1], nil
}

// wait returns once done, called with s.mu held, reports true.
func (s *Server) wait(ctx context.Context, done func() bool) error {
	for {
		s.mu.Lock()
		if done() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Requests returns every REST request so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// WaitRequest waits for a REST request, from the from-th on (0-based),
// that match accepts, and returns it with its index.
func (s *Server) WaitRequest(ctx context.Context, from int, match func(Request) bool) (Request, int, error) {
	found := -1
	err := s.wait(ctx, func() bool {
		for ; from < len(s.reqs); from++ {
			if match(s.reqs[from]) {
				found = from
				return true
			}
		}
		return false
	})
	if err != nil {
		return Request{}, 0, fmt.Errorf("waiting for a request: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[found], found, nil
}

// signal wakes waiters; s.mu must be held.
func (s *Server) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// rest records the request and answers as Discord would.
func (s *Server) rest(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	s.ids++
	id := fmt.Sprintf("90000000000000%04d", s.ids)
	s.signal()
	s.mu.Unlock()

	p := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v9"), "/"), "/")
	switch {
	case r.Method == http.MethodPost && len(p) == 4 && p[0] == "interactions" && p[3] == "callback":
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost && len(p) == 3 && p[0] == "channels" && p[2] == "messages":
		writeJSON(w, http.StatusOK, message(id, p[1], body))
	case p[0] == "webhooks" && len(p) >= 3:
		// Execute (POST .../{token}) or edit (PATCH .../messages/{id}).
		writeJSON(w, http.StatusOK, message(id, "", body))
	case r.Method == http.MethodPut && p[0] == "applications" && p[len(p)-1] == "commands":
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body"})
			return
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprintf("3000000000000000%02d", i)
			c["application_id"] = s.AppID
			c["version"] = "1"
		}
		writeJSON(w, http.StatusOK, cmds)
	case r.Method == http.MethodGet && strings.Join(p, "/") == "oauth2/applications/@me":
		writeJSON(w, http.StatusOK, map[string]any{"id": s.AppID, "name": "advisorybot"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 0, "message": "404: Not Found"})
	}
}

// message is the message object Discord returns: the sent fields plus ids.
func message(id, channel string, body []byte) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(body, &m)
	m["id"] = id
	if channel != "" {
		m["channel_id"] = channel
	}
	return m
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
