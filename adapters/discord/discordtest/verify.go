package discordtest

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
)

// Sign returns Discord's signature headers for body at timestamp ts.
func Sign(priv ed25519.PrivateKey, ts string, body []byte) http.Header {
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	h.Set("X-Signature-Timestamp", ts)
	return h
}
