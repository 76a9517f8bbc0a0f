package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
)

// VerifyOnly is the baseline for benchmarks: an interactions endpoint that
// reads the body (bounded), checks the Ed25519 signature exactly as
// Discord requires, and answers PONG without looking at the payload.
func VerifyOnly(key ed25519.PublicKey, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		ts := r.Header.Get("X-Signature-Timestamp")
		if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var buf bytes.Buffer
		buf.WriteString(ts)
		if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBody)); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if !ed25519.Verify(key, buf.Bytes(), sig) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"type":1}`))
	})
}

// Sign returns Discord's signature headers for body at timestamp ts.
func Sign(priv ed25519.PrivateKey, ts string, body []byte) http.Header {
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	h.Set("X-Signature-Timestamp", ts)
	return h
}
