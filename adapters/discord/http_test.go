package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestHTTPEndpoint(t *testing.T) {
	pub, priv := testKey()
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	cmd := payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina 2023")), nil)
	ping := []byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`)

	tests := []struct {
		name    string
		req     func() *http.Request
		code    int
		handled bool   // the bot was asked
		body    string // a substring of the response
	}{
		{"command", func() *http.Request { return signedRequest(priv, cmd) }, http.StatusOK, true, `"title":"Ballerina (2023) · film · TV-MA"`},
		{"ping", func() *http.Request { return signedRequest(priv, ping) }, http.StatusOK, false, `{"type":1}`},
		{"tampered body", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Body = httpBody(bytes.Replace(cmd, []byte("Ballerina 2023"), []byte("Ballerina 2016"), 1))
			return r
		}, http.StatusUnauthorized, false, ""},
		{"tampered timestamp", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Header.Set(headerTimestamp, "1")
			return r
		}, http.StatusUnauthorized, false, ""},
		{"wrong key", func() *http.Request { return signedRequest(otherPriv, cmd) }, http.StatusUnauthorized, false, ""},
		// Validly signed, but outside five minutes of now, or not a time.
		{"timestamp a day old", func() *http.Request { return signedAt(priv, cmd, unixIn(-24*time.Hour)) }, http.StatusUnauthorized, false, ""},
		{"timestamp six minutes old", func() *http.Request { return signedAt(priv, cmd, unixIn(-6*time.Minute)) }, http.StatusUnauthorized, false, ""},
		{"timestamp a year ahead", func() *http.Request { return signedAt(priv, cmd, unixIn(365*24*time.Hour)) }, http.StatusUnauthorized, false, ""},
		{"timestamp six minutes ahead", func() *http.Request { return signedAt(priv, cmd, unixIn(6*time.Minute)) }, http.StatusUnauthorized, false, ""},
		{"timestamp zero", func() *http.Request { return signedAt(priv, cmd, "0") }, http.StatusUnauthorized, false, ""},
		{"timestamp negative", func() *http.Request { return signedAt(priv, cmd, "-1") }, http.StatusUnauthorized, false, ""},
		{"timestamp not a number", func() *http.Request { return signedAt(priv, cmd, "yesterday") }, http.StatusUnauthorized, false, ""},
		{"timestamp fractional", func() *http.Request { return signedAt(priv, cmd, unixIn(0)+".5") }, http.StatusUnauthorized, false, ""},
		{"timestamp in milliseconds", func() *http.Request {
			return signedAt(priv, cmd, strconv.FormatInt(time.Now().UnixMilli(), 10))
		}, http.StatusUnauthorized, false, ""},
		{"timestamp four minutes old", func() *http.Request { return signedAt(priv, cmd, unixIn(-4*time.Minute)) }, http.StatusOK, true, `"title":"Ballerina (2023) · film · TV-MA"`},
		{"timestamp four minutes ahead", func() *http.Request { return signedAt(priv, cmd, unixIn(4*time.Minute)) }, http.StatusOK, true, `"title":"Ballerina (2023) · film · TV-MA"`},
		{"missing signature", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Header.Del(headerSignature)
			return r
		}, http.StatusUnauthorized, false, ""},
		{"missing timestamp", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Header.Del(headerTimestamp)
			return r
		}, http.StatusUnauthorized, false, ""},
		{"signature not hex", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Header.Set(headerSignature, strings.Repeat("zz", ed25519.SignatureSize))
			return r
		}, http.StatusUnauthorized, false, ""},
		{"short signature", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Header.Set(headerSignature, r.Header.Get(headerSignature)[:64])
			return r
		}, http.StatusUnauthorized, false, ""},
		{"oversized body", func() *http.Request {
			big := append(bytes.Repeat([]byte(" "), DefaultMaxBody), cmd...)
			return signedRequest(priv, big)
		}, http.StatusRequestEntityTooLarge, false, ""},
		{"oversized body of unknown length", func() *http.Request {
			big := append(bytes.Repeat([]byte(" "), DefaultMaxBody), cmd...)
			r := signedRequest(priv, big)
			r.Body, r.ContentLength = io.NopCloser(io.MultiReader(bytes.NewReader(big))), -1
			return r
		}, http.StatusRequestEntityTooLarge, false, ""},
		{"body of unknown length", func() *http.Request {
			r := signedRequest(priv, cmd)
			r.Body, r.ContentLength = io.NopCloser(io.MultiReader(bytes.NewReader(cmd))), -1
			return r
		}, http.StatusOK, true, `"title":"Ballerina (2023) · film · TV-MA"`},
		{"signed bad JSON", func() *http.Request { return signedRequest(priv, []byte(`{"type":2,`)) }, http.StatusBadRequest, false, ""},
		{"signed unknown type", func() *http.Request { return signedRequest(priv, []byte(`{"id":"1","token":"t","type":99}`)) }, http.StatusBadRequest, false, ""},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/discord/interactions", nil) }, http.StatusMethodNotAllowed, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := &countingBot{Answerer: fixtureBot(t)}
			hh, err := NewHTTPHandler(hex.EncodeToString(pub), newTestHandler(t, cb, nil), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			hh.ServeHTTP(rec, tc.req())
			if rec.Code != tc.code {
				t.Errorf("status %d, want %d; body %s", rec.Code, tc.code, rec.Body)
			}
			if got := cb.handled.Load() > 0; got != tc.handled {
				t.Errorf("bot asked = %v, want %v", got, tc.handled)
			}
			if !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("body %s does not contain %s", rec.Body, tc.body)
			}
			if tc.code == http.StatusOK && rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("content type %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestNewHTTPHandlerKey(t *testing.T) {
	h := newTestHandler(t, fixtureBot(t), nil)
	for _, key := range []string{"", "abc", strings.Repeat("0", 62), strings.Repeat("g", 64)} {
		if _, err := NewHTTPHandler(key, h, nil, 0); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func httpBody(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }

// TestHTTPDeferral: past the budget the HTTP response is the deferral,
// sent while the bot is still working; the answer follows as an edit of
// the original response before the request ends.
func TestHTTPDeferral(t *testing.T) {
	s := newRecordingSender()
	bb := newBlockingBot(fixtureBot(t), false)
	hh, priv := testEndpoint(t, Config{Bot: bb, Sender: s, Budget: time.Millisecond})
	// Over a real connection: Discord must get the deferral while the bot
	// is still working, not when ServeHTTP returns.
	srv := httptest.NewServer(hh)
	defer srv.Close()
	req := signedRequest(priv, ballerinaCommand(t))
	req.RequestURI, req.URL.Scheme, req.URL.Host = "", "http", strings.TrimPrefix(srv.URL, "http://")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || string(body) != `{"type":5,"data":{"flags":64}}` {
		t.Errorf("got %d %s (%v)", resp.StatusCode, body, err)
	}
	if len(resp.TransferEncoding) > 0 || resp.ContentLength != int64(len(body)) {
		t.Errorf("flushed deferral sent with transfer encoding %v, Content-Length %d", resp.TransferEncoding, resp.ContentLength)
	}
	if len(s.edited()) != 0 {
		t.Fatal("an edit before the bot answered")
	}
	close(bb.release)
	select {
	case <-s.sent:
	case <-time.After(10 * time.Second): // a safety net, not a measurement
		t.Fatal("no follow-up")
	}
	if e := s.edited(); len(e) != 1 || e[0].Embeds[0].Title != "Ballerina (2023) · film · TV-MA" {
		t.Errorf("follow-up %+v", e)
	}
}

// TestHTTPContentLength: an answer over a real connection has a
// Content-Length (net/http computes it for small answers) and is not chunked.
func TestHTTPContentLength(t *testing.T) {
	hh, priv := testEndpoint(t, Config{Bot: fixtureBot(t), Sender: newRecordingSender()})
	srv := httptest.NewServer(hh)
	defer srv.Close()
	cmd := ballerinaCommand(t)
	req := signedRequest(priv, cmd)
	req.RequestURI, req.URL.Scheme, req.URL.Host = "", "http", strings.TrimPrefix(srv.URL, "http://")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Ballerina (2023)") {
		t.Fatalf("got %d %s (%v)", resp.StatusCode, body, err)
	}
	if len(resp.TransferEncoding) > 0 || resp.ContentLength != int64(len(body)) || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("transfer encoding %v, Content-Length %d for %d bytes, Content-Type %q", resp.TransferEncoding, resp.ContentLength, len(body), resp.Header.Get("Content-Type"))
	}
}

// testEndpoint is the HTTP endpoint on a Handler made from cfg, with the
// test key; it returns the private key that signs requests for it.
func testEndpoint(t *testing.T, cfg Config) (*HTTPHandler, ed25519.PrivateKey) {
	t.Helper()
	pub, priv := testKey()
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hh, err := NewHTTPHandler(hexKey(pub), h, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return hh, priv
}

// ballerinaCommand is an /advisory interaction with the title typed.
func ballerinaCommand(t *testing.T) []byte {
	return payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina 2023")), nil)
}

// unixIn is the Unix time d from now, as a timestamp header.
func unixIn(d time.Duration) string { return strconv.FormatInt(time.Now().Add(d).Unix(), 10) }
