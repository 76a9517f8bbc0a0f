// Package slacktestws holds local fakes of Slack for tests: a Socket Mode
// endpoint written from Slack's documented envelope protocol, and a Web API
// built on slack-go's own slacktest server that records what the bot sends.
// Nothing here talks to Slack.
package slacktestws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Envelope is one Socket Mode request from "Slack" to the app.
type Envelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"` // slash_commands, events_api, interactive, disconnect
	Payload                json.RawMessage `json:"payload,omitempty"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt,omitempty"`
	RetryReason            string          `json:"retry_reason,omitempty"`
}

// Ack is the app's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

// SocketMode is a fake Socket Mode endpoint: it accepts the app's websocket
// (with Slack's Origin header), sends hello, sends envelopes, reads acks and
// pings well within slack-go's 30-second deadline.
type SocketMode struct {
	srv      *httptest.Server
	upgrader websocket.Upgrader
	ping     time.Duration

	mu      sync.Mutex
	conn    *websocket.Conn
	writeMu sync.Mutex
	acks    map[string]chan Ack
	closed  chan struct{}
	conns   chan struct{}
}

// NewSocketMode starts the fake on 127.0.0.1.
func NewSocketMode() *SocketMode {
	s := &SocketMode{
		ping:   2 * time.Second,
		acks:   map[string]chan Ack{},
		closed: make(chan struct{}),
		conns:  make(chan struct{}, 16),
		upgrader: websocket.Upgrader{
			// Slack's client sends Origin: https://api.slack.com, which is not this host.
			CheckOrigin: func(*http.Request) bool { return true },
		},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveWS))
	return s
}

// URL is the websocket URL apps.connections.open hands out.
func (s *SocketMode) URL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/link/?ticket=fake"
}

// Close stops the fake and drops the connection.
func (s *SocketMode) Close() {
	close(s.closed)
	s.mu.Lock()
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.mu.Unlock()
	s.srv.Close()
}

// ConnectionsOpen serves apps.connections.open: it checks for an app-level
// token and returns the websocket URL.
func (s *SocketMode) ConnectionsOpen(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer xapp-") {
		_, _ = w.Write([]byte(`{"ok":false,"error":"not_allowed_token_type"}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "url": s.URL()})
}

func (s *SocketMode) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	select {
	case <-s.closed:
		// Close has run: a connection that raced it is dropped too (the
		// test server's Close leaves hijacked connections open).
		s.mu.Unlock()
		_ = conn.Close()
		return
	default:
	}
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.conn = conn
	s.mu.Unlock()
	hello := `{"type":"hello","num_connections":1,"debug_info":{"host":"fake-applink","build_number":1,"approximate_connection_time":18060},"connection_info":{"app_id":"A0FAKE"}}`
	if err := s.write(conn, websocket.TextMessage, []byte(hello)); err != nil {
		return
	}
	select {
	case s.conns <- struct{}{}:
	default:
	}
	done := make(chan struct{})
	defer close(done)
	go s.pinger(conn, done)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var ack Ack
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		s.ackChan(ack.EnvelopeID) <- ack
	}
}

func (s *SocketMode) pinger(conn *websocket.Conn, done chan struct{}) {
	t := time.NewTicker(s.ping)
	defer t.Stop()
	for {
		if err := s.write(conn, websocket.PingMessage, []byte("ping")); err != nil {
			return
		}
		select {
		case <-done:
			return
		case <-s.closed:
			return
		case <-t.C:
		}
	}
}

func (s *SocketMode) write(conn *websocket.Conn, kind int, data []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return conn.WriteMessage(kind, data)
}

func (s *SocketMode) ackChan(id string) chan Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.acks[id]
	if !ok {
		c = make(chan Ack, 1)
		s.acks[id] = c
	}
	return c
}

// WaitConnected waits until the app has connected and received hello.
func (s *SocketMode) WaitConnected(ctx context.Context) error {
	select {
	case <-s.conns:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the socket mode connection: %w", ctx.Err())
	}
}

// Send delivers an envelope to the connected app.
func (s *SocketMode) Send(env Envelope) error {
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	if conn == nil {
		return errors.New("no socket mode connection")
	}
	data, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("encoding envelope: %w", err)
	}
	return s.write(conn, websocket.TextMessage, data)
}

// WaitAck waits for the app to acknowledge an envelope.
func (s *SocketMode) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	select {
	case a := <-s.ackChan(envelopeID):
		return a, nil
	case <-ctx.Done():
		return Ack{}, fmt.Errorf("waiting for the ack of %s: %w", envelopeID, ctx.Err())
	}
}
