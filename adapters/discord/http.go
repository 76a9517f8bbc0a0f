package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
)

// DefaultMaxBody bounds an interaction request body. Interactions are a
// few kilobytes; anything much larger is not from Discord.
const DefaultMaxBody = 64 << 10

// Discord's signature headers.
const (
	headerSignature = "X-Signature-Ed25519"
	headerTimestamp = "X-Signature-Timestamp"
)

// HTTPHandler is Discord's HTTP interactions endpoint ("Interactions
// Endpoint URL"): it checks the Ed25519 signature of every request,
// answers PING with PONG and everything else through the Handler.
type HTTPHandler struct {
	key     ed25519.PublicKey
	h       *Handler
	log     *slog.Logger
	maxBody int64
	bufs    sync.Pool // *bytes.Buffer
	// jsonType is every answer's Content-Type value; net/http only reads it.
	jsonType []string
}

// netHTTPBuffered is how much of a response net/http buffers before it
// starts chunking (its bufferBeforeChunkingSize). When a handler writes
// less and returns, net/http computes the Content-Length itself, so the
// handler sets one only for larger or flushed (deferred) answers.
const netHTTPBuffered = 2048

// NewHTTPHandler returns the endpoint for the application's public key
// (hex, as shown in the Developer Portal). maxBody <= 0 means DefaultMaxBody.
func NewHTTPHandler(publicKeyHex string, h *Handler, log *slog.Logger, maxBody int64) (*HTTPHandler, error) {
	key, err := hex.DecodeString(publicKeyHex)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord public key: want %d hex-encoded bytes", ed25519.PublicKeySize)
	}
	if h == nil {
		return nil, errors.New("discord http handler: no Handler")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	return &HTTPHandler{key: key, h: h, log: log, maxBody: maxBody, jsonType: []string{"application/json"}}, nil
}

func (s *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(r.Context(), "discord: panic answering an interaction", "panic", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	buf, body, ok := s.verified(w, r)
	if !ok {
		return
	}
	defer s.release(buf)
	i, err := decodeInteraction(body)
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, err.Error())
		return
	}
	err = s.h.interact(r.Context(), i, func(body []byte, deferred bool) {
		h := w.Header()
		h["Content-Type"] = s.jsonType
		if deferred || len(body) > netHTTPBuffered {
			h["Content-Length"] = []string{strconv.Itoa(len(body))}
		}
		if _, err := w.Write(body); err != nil {
			s.log.DebugContext(r.Context(), "discord: writing response", "err", err)
			return
		}
		if deferred {
			// The deferral must reach Discord before the answer edits it;
			// ServeHTTP is still running the bot.
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
	})
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, err.Error())
	}
}

// VerifyOnly is the load tests' baseline: the endpoint's own request check
// (the body read and the Ed25519 signature verified exactly as for
// ServeHTTP), answered as a PING is. It reaches no bot.
func (s *HTTPHandler) VerifyOnly() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf, _, ok := s.verified(w, r)
		if !ok {
			return
		}
		s.release(buf)
		w.Header()["Content-Type"] = s.jsonType
		_, _ = w.Write([]byte(`{"type":1}`))
	})
}

// verified reads the request and checks its signature. It returns the
// pooled buffer (for release) and the body in it; on failure it has
// already answered: 405, 401, 413 or 400, and nothing is processed.
func (s *HTTPHandler) verified(w http.ResponseWriter, r *http.Request) (*bytes.Buffer, []byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, nil, false
	}
	// Header values are read straight from the map: these names are canonical.
	sigHex, ts := first(r.Header[headerSignature]), first(r.Header[headerTimestamp])
	var sig [ed25519.SignatureSize]byte
	if ts == "" || len(ts) > 64 || len(sigHex) != 2*len(sig) {
		s.reject(w, r, http.StatusUnauthorized, "missing or malformed signature headers")
		return nil, nil, false
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		s.reject(w, r, http.StatusUnauthorized, "signature is not hex")
		return nil, nil, false
	}
	buf, _ := s.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	// The signed message is timestamp + body: read the body right after it.
	buf.Reset()
	buf.WriteString(ts)
	body := r.Body
	if r.ContentLength < 0 || r.ContentLength > s.maxBody {
		// Chunked, or declared too large. (net/http stops a body of
		// declared length at that length.)
		body = http.MaxBytesReader(w, r.Body, s.maxBody)
	}
	if _, err := buf.ReadFrom(body); err != nil {
		s.release(buf)
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.reject(w, r, http.StatusRequestEntityTooLarge, "body too large")
			return nil, nil, false
		}
		s.reject(w, r, http.StatusBadRequest, "reading body: "+err.Error())
		return nil, nil, false
	}
	msg := buf.Bytes()
	if !ed25519.Verify(s.key, msg, sig[:]) {
		s.release(buf)
		s.reject(w, r, http.StatusUnauthorized, "bad signature")
		return nil, nil, false
	}
	return buf, msg[len(ts):], true
}

func (s *HTTPHandler) release(buf *bytes.Buffer) {
	if buf.Cap() <= 2*int(s.maxBody) {
		s.bufs.Put(buf)
	}
}

func (s *HTTPHandler) reject(w http.ResponseWriter, r *http.Request, code int, why string) {
	s.log.WarnContext(r.Context(), "discord: rejected interaction request", "status", code, "reason", why, "remote", r.RemoteAddr)
	http.Error(w, http.StatusText(code), code)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
