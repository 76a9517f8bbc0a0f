package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"advisorybot/internal/rejectlog"
)

// DefaultMaxBody bounds an interaction request body. Interactions are a
// few kilobytes; anything much larger is not from Discord.
const DefaultMaxBody = 64 << 10

// initialBody is the most the endpoint reserves for a body before any of
// it has arrived; a larger body grows the buffer as it is read, so a client
// that declares a large body and stalls holds about a kilobyte.
const initialBody = 1 << 10

// maxSkew is how far X-Signature-Timestamp may be from now, either way:
// a validly signed request outside it is a replay (or a badly wrong clock).
const maxSkew = 5 * time.Minute

// Discord's signature headers.
const (
	headerSignature = "X-Signature-Ed25519"
	headerTimestamp = "X-Signature-Timestamp"
)

// Reasons a request is rejected, as logged (a small fixed set: rejectlog
// keys on them).
const (
	rejectMethod    = "method"
	rejectHeaders   = "signature_headers"
	rejectTimestamp = "stale_timestamp"
	rejectTooLarge  = "too_large"
	rejectRead      = "reading_body"
	rejectSignature = "bad_signature"
	rejectMalformed = "malformed"
	rejectDuplicate = "duplicate"
)

// HTTPHandler is Discord's HTTP interactions endpoint ("Interactions
// Endpoint URL"): it checks the timestamp and the Ed25519 signature of
// every request, answers PING with PONG and everything else through the
// Handler.
type HTTPHandler struct {
	key     ed25519.PublicKey
	h       *Handler
	log     *slog.Logger
	rejects *rejectlog.Log
	maxBody int64
	now     func() time.Time
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
	return &HTTPHandler{key: key, h: h, log: log, rejects: rejectlog.New(log, 0, rejectOptions(h)...), maxBody: maxBody, now: time.Now}, nil
}

func (s *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(r.Context(), "discord: panic answering an interaction", "panic", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	body, ok := s.verified(w, r)
	if !ok {
		return
	}
	i, err := decodeInteraction(body)
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, rejectMalformed, err)
		return
	}
	err = s.h.interact(r.Context(), i, func(body []byte, deferred bool) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		if deferred || len(body) > netHTTPBuffered {
			h.Set("Content-Length", strconv.Itoa(len(body)))
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
	switch {
	case errors.Is(err, errDuplicate):
		// Discord delivers an interaction once and takes one response per
		// interaction, so a second delivery of an id is a replay: it gets
		// no answer and changed nothing. 409 says the request was valid but
		// conflicts with what has been done; it is not a server error, so
		// nothing retries it or pages anyone.
		s.reject(w, r, http.StatusConflict, rejectDuplicate, err, "interaction", i.ID)
	case err != nil:
		s.reject(w, r, http.StatusBadRequest, rejectMalformed, err)
	}
}

// verified checks the request's headers, reads its body and checks its
// signature, and returns the body. On failure it has already answered
// (405, 401, 413 or 400), and nothing has been processed.
func (s *HTTPHandler) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.reject(w, r, http.StatusMethodNotAllowed, rejectMethod, nil)
		return nil, false
	}
	// Header values are read straight from the map: these names are canonical.
	sigHex, ts := first(r.Header[headerSignature]), first(r.Header[headerTimestamp])
	var sig [ed25519.SignatureSize]byte
	if ts == "" || len(ts) > 20 || len(sigHex) != 2*len(sig) {
		s.reject(w, r, http.StatusUnauthorized, rejectHeaders, nil)
		return nil, false
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		s.reject(w, r, http.StatusUnauthorized, rejectHeaders, err)
		return nil, false
	}
	if err := s.fresh(ts); err != nil {
		s.reject(w, r, http.StatusUnauthorized, rejectTimestamp, err)
		return nil, false
	}
	if r.ContentLength > s.maxBody {
		// Refused unread; closing the connection spares reading the rest.
		w.Header().Set("Connection", "close")
		s.reject(w, r, http.StatusRequestEntityTooLarge, rejectTooLarge, nil, "declared", r.ContentLength)
		return nil, false
	}
	// The signed message is timestamp + body.
	msg, err := readSigned(http.MaxBytesReader(w, r.Body, s.maxBody), ts, r.ContentLength)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.reject(w, r, http.StatusRequestEntityTooLarge, rejectTooLarge, nil)
			return nil, false
		}
		s.reject(w, r, http.StatusBadRequest, rejectRead, err)
		return nil, false
	}
	if !ed25519.Verify(s.key, msg, sig[:]) {
		s.reject(w, r, http.StatusUnauthorized, rejectSignature, nil)
		return nil, false
	}
	return msg[len(ts):], true
}

// fresh checks a signature timestamp: Unix seconds within maxSkew of now.
func (s *HTTPHandler) fresh(ts string) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 {
		return fmt.Errorf("timestamp %q is not a positive number of seconds", ts)
	}
	if d := s.now().Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return fmt.Errorf("timestamp %s is %v from now", ts, d.Round(time.Second))
	}
	return nil
}

// readSigned returns ts followed by everything body yields. It reserves
// room for the declared length (negative: unknown) only up to initialBody;
// beyond that the buffer grows as bytes arrive.
func readSigned(body io.Reader, ts string, declared int64) ([]byte, error) {
	reserve := int64(initialBody)
	if declared >= 0 {
		reserve = min(declared, reserve)
	}
	// One spare byte, so that a body of the declared length is followed by
	// its EOF without growing the buffer.
	msg := make([]byte, len(ts), int64(len(ts))+reserve+1)
	copy(msg, ts)
	for {
		if len(msg) == cap(msg) {
			msg = slices.Grow(msg, len(msg))
		}
		n, err := body.Read(msg[len(msg):cap(msg)])
		msg = msg[:len(msg)+n]
		if err == io.EOF {
			return msg, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading body: %w", err)
		}
	}
}

// reject answers a request that is not processed, and logs it through the
// rejection summary: a flood of them writes a line per reason and interval,
// not one per request.
func (s *HTTPHandler) reject(w http.ResponseWriter, r *http.Request, code int, reason string, err error, attrs ...any) {
	attrs = append(attrs, "status", code, "remote", r.RemoteAddr)
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	s.rejects.Reject(r.Context(), "discord: "+reason, attrs...)
	http.Error(w, http.StatusText(code), code)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// rejectOptions counts rejections for the handler's metrics, when it has any.
func rejectOptions(h *Handler) []rejectlog.Option {
	if h == nil || h.rejected == nil {
		return nil
	}
	return []rejectlog.Option{rejectlog.WithCounter(h.rejected)}
}
