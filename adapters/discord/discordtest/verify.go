package discordtest

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Sign returns Discord's signature headers for body at timestamp ts.
func Sign(priv ed25519.PrivateKey, ts string, body []byte) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	h.Set("X-Signature-Timestamp", ts)
	return h
}

// discordEpoch is the first second of 2015, where Discord's snowflake ids
// count from, in Unix milliseconds.
const discordEpoch = 1420070400000

// Deliveries makes deliveries of one interaction as Discord sends them:
// each with an interaction id of its own, signed at the current time.
// It is safe for concurrent use.
type Deliveries struct {
	priv ed25519.PrivateKey
	rest []byte // the template without its id, from after the opening brace
	base uint64 // a snowflake for the time Deliveries was made
	n    atomic.Uint64
}

// NewDeliveries makes Deliveries of the interaction object in template
// (its "id" is replaced in each), signed with priv.
func NewDeliveries(priv ed25519.PrivateKey, template []byte) (*Deliveries, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(template, &fields); err != nil {
		return nil, fmt.Errorf("reading the interaction template: %w", err)
	}
	delete(fields, "id")
	rest, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("re-encoding the interaction template: %w", err)
	}
	rest = rest[1:] // `"k":v,...}` or `}`
	if len(rest) > 1 {
		rest = append([]byte{','}, rest...)
	}
	return &Deliveries{priv: priv, rest: rest, base: uint64(time.Now().UnixMilli()-discordEpoch) << 22}, nil
}

// Next returns a new delivery: its interaction id, body and headers
// (signature, timestamp, content type).
func (d *Deliveries) Next() (id string, body []byte, h http.Header) {
	id = strconv.FormatUint(d.base+d.n.Add(1), 10)
	body = make([]byte, 0, len(id)+len(d.rest)+8)
	body = append(body, `{"id":"`...)
	body = append(body, id...)
	body = append(body, '"')
	body = append(body, d.rest...)
	return id, body, Sign(d.priv, strconv.FormatInt(time.Now().Unix(), 10), body)
}
