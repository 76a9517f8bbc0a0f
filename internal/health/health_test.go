package health_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/internal/health"
)

func get(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestReady(t *testing.T) {
	var connected, redis atomic.Bool
	p := &health.Probes{}
	p.Add("catalog", func(context.Context) (bool, string) { return true, "v1 (3 reviews)" })
	p.Add("discord gateway", health.Flag(connected.Load, "connected", "not connected"))
	p.Add("redis", health.Flag(redis.Load, "ok", "unavailable"))
	tests := []struct {
		name             string
		connected, redis bool
		stopping         bool
		wantCode         int
		wantBody         string
	}{
		{"nothing connected", false, false, false, 503, "not ready\ncatalog: v1 (3 reviews)\ndiscord gateway: not connected\nredis: unavailable\n"},
		{"one part missing", true, false, false, 503, "not ready\ncatalog: v1 (3 reviews)\ndiscord gateway: connected\nredis: unavailable\n"},
		{"all ready", true, true, false, 200, "ready\ncatalog: v1 (3 reviews)\ndiscord gateway: connected\nredis: ok\n"},
		{"stopping", true, true, true, 503, "not ready\nstopping: finishing the answers in flight\ncatalog: v1 (3 reviews)\ndiscord gateway: connected\nredis: ok\n"},
	}
	for _, tt := range tests {
		connected.Store(tt.connected)
		redis.Store(tt.redis)
		if tt.stopping {
			p.Stopping()
		}
		code, body := get(t, p.Ready())
		if code != tt.wantCode || body != tt.wantBody {
			t.Errorf("%s: %d %q, want %d %q", tt.name, code, body, tt.wantCode, tt.wantBody)
		}
	}
}

func TestLive(t *testing.T) {
	code, body := get(t, health.Live(func() string { return "v1" }))
	if code != 200 || body != "ok v1\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
}

// TestReadyGivesChecksADeadline: a check that would hang is cut off by
// the probe's own deadline, and the probe answers.
func TestReadyGivesChecksADeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &health.Probes{}
		p.Add("redis", func(ctx context.Context) (bool, string) {
			<-ctx.Done()
			return false, "no answer in time"
		})
		start := time.Now()
		rec := httptest.NewRecorder()
		p.Ready().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code != 503 || rec.Body.String() != "not ready\nredis: no answer in time\n" {
			t.Errorf("%d %q", rec.Code, rec.Body)
		}
		if took := time.Since(start); took != health.Timeout {
			t.Errorf("answered after %v, want %v", took, health.Timeout)
		}
	})
}
