package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

const testSecret = "load-test-secret"

// TestGenerateSignsEveryRequestAfresh: each request the generator sends
// carries a valid signature over a current timestamp and its own
// trigger_id, as Slack's deliveries do.
func TestGenerateSignsEveryRequestAfresh(t *testing.T) {
	var (
		mu       sync.Mutex
		triggers = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, testSecret) // checks the timestamp is current
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = sv.Write(body)
		if sv.Ensure() != nil {
			http.Error(w, "signature", http.StatusUnauthorized)
			return
		}
		c, err := slackadapter.DecodeCommand(body)
		if err != nil || c.Text != "Ballerina 2023" {
			http.Error(w, "payload", http.StatusBadRequest)
			return
		}
		mu.Lock()
		triggers[c.TriggerID]++
		mu.Unlock()
	}))
	defer srv.Close()
	res, err := generate(context.Background(), loadConfig{URL: srv.URL + "/slack/commands", Secret: testSecret, Text: "Ballerina 2023",
		Conns: 4, Duration: time.Minute, Requests: 200})
	if err != nil {
		t.Fatal(err)
	}
	if res.requests != 200 || res.non2xx != 0 {
		t.Errorf("%d requests, %d not 2xx; want 200, 0", res.requests, res.non2xx)
	}
	if len(triggers) != 200 {
		t.Errorf("%d distinct trigger_ids in 200 requests", len(triggers))
	}
}

// TestGenerateAgainstAdapter: against the adapter with de-duplication on,
// every request gets a full answer (none is a duplicate).
func TestGenerateAgainstAdapter(t *testing.T) {
	live, err := catalog.NewLive(os.DirFS("../../../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	a, err := slackadapter.New(slackadapter.Config{Bot: bot.New(bot.Config{Catalog: live, Gate: st, Settings: st}), SigningSecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	var empty atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		a.Commands().ServeHTTP(rec, r)
		if rec.Body.Len() == 0 {
			empty.Add(1)
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	res, err := generate(context.Background(), loadConfig{URL: srv.URL + "/slack/commands", Secret: testSecret, Text: "Ballerina 2023",
		Conns: 2, Duration: time.Minute, Requests: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.requests != 50 || res.non2xx != 0 || empty.Load() != 0 {
		t.Errorf("%d requests, %d not 2xx, %d empty answers; want 50, 0, 0", res.requests, res.non2xx, empty.Load())
	}
	var out strings.Builder
	res.write(&out)
	if !strings.HasPrefix(out.String(), "requests=50 rps=") {
		t.Errorf("result line %q", out.String())
	}
}

// TestVerifyOnly: the baseline answers a signed request with an empty 200
// and anything else with 401.
func TestVerifyOnly(t *testing.T) {
	h := verifyOnly(testSecret, "", nil)
	body, ts, sig := signCommand(testSecret, "Ballerina 2023", "1.2.3", time.Now())
	for _, tc := range []struct {
		name string
		body string
		want int
	}{
		{"signed", body, http.StatusOK},
		{"tampered", strings.Replace(body, "Ballerina", "Ballerino", 1), http.StatusUnauthorized},
	} {
		r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(tc.body))
		setHeaders(r.Header, ts, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tc.want || (tc.want == http.StatusOK && rec.Body.Len() != 0) {
			t.Errorf("%s: %d %q, want %d", tc.name, rec.Code, rec.Body, tc.want)
		}
	}
}
