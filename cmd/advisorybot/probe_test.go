package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/internal/redistest"
	"advisorybot/internal/syncbuf"
)

// TestProbe: `advisorybot probe URL` exits 0 on a 2xx answer, 1 on any
// other answer or none in time, and 2 on a usage mistake.
func TestProbe(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			io.WriteString(w, "ready\n")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/unready":
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "not ready\nredis: unavailable\n")
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/hang":
			<-release
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for the hung handler
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
	}{
		{"2xx", []string{srv.URL + "/ok"}, 0, "200 OK\nready\n"},
		{"204", []string{srv.URL + "/empty"}, 0, "204 No Content\n"},
		{"503 with its body", []string{srv.URL + "/unready"}, 1, "503 Service Unavailable\nnot ready\nredis: unavailable\n"},
		{"404", []string{srv.URL + "/nothing"}, 1, "404 Not Found\n"},
		{"a redirect is not followed", []string{srv.URL + "/moved"}, 1, "302 Found\n"},
		{"connection refused", []string{closed.URL + "/ok"}, 1, ""},
		{"no answer in time", []string{"--timeout", "100ms", srv.URL + "/hang"}, 1, ""},
		{"no URL", nil, 2, ""},
		{"not a URL", []string{"127.0.0.1:9090/readyz"}, 2, ""},
		{"two URLs", []string{srv.URL + "/ok", srv.URL + "/ok"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", nil, append([]string{"probe"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			if tt.wantStdout != "" && !strings.HasPrefix(stdout, tt.wantStdout) {
				t.Errorf("stdout %q, want %q", stdout, tt.wantStdout)
			}
		})
	}
}

// httpGet returns a GET's status and body; 0 when nothing answered.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// waitReady polls /readyz until it answers want and its body holds every
// line in lines; it returns the body.
func waitReady(t *testing.T, base string, want int, logs *syncbuf.Buffer, lines ...string) string {
	t.Helper()
	var code int
	var body string
	for deadline := time.Now().Add(15 * time.Second); ; {
		code, body = httpGet(t, base+"/readyz")
		ok := code == want
		for _, l := range lines {
			ok = ok && strings.Contains(body, "\n"+l+"\n")
		}
		if ok {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %q; want %d with %q\n%s", code, body, want, lines, logs)
		}
		time.Sleep(10 * time.Millisecond) // the state changes in real servers (Redis, websockets)
	}
}

// scrapeMetrics parses /metrics with Prometheus's text parser.
func scrapeMetrics(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := httpGet(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %q", code, body)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v\n%s", err, body)
	}
	return fams
}

// sample is the value of the family's one series whose labels include
// labels; -1 when there is none.
func sample(fams map[string]*dto.MetricFamily, family string, labels map[string]string) float64 {
	for _, m := range fams[family].GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range labels {
			match = match && have[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

// TestServeProbesAndMetricsWithRedis runs serve in HTTP mode on a real
// redis-server with METRICS_ADDR: the probes and /metrics are served there
// and not on ADDR; questions show in /metrics; /readyz flips to 503 when
// Redis is frozen (the replica answers from memory, degraded) and back
// when it returns.
func TestServeProbesAndMetricsWithRedis(t *testing.T) {
	rs := redistest.Start(t)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, ed25519.SeedSize))
	addr, opsAddr := freeAddr(t), freeAddr(t)
	logs, stop := runServe(t, map[string]string{
		"DISCORD_PUBLIC_KEY":   hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		"ADDR":                 addr,
		"METRICS_ADDR":         opsAddr,
		"REDIS_URL":            "redis://" + rs.Addr,
		"REDIS_PROBE_INTERVAL": "20ms",
	})
	waitListening(t, addr, logs)
	ops := "http://" + opsAddr

	if code, body := httpGet(t, ops+"/healthz"); code != 200 || !strings.HasPrefix(body, "ok ") {
		t.Errorf("/healthz: %d %q", code, body)
	}
	waitReady(t, ops, 200, logs, "redis: ok", "http endpoints: listening on "+addr+": POST /discord/interactions")
	for _, path := range []string{"/metrics", "/readyz", "/healthz"} {
		if code, _ := httpGet(t, "http://"+addr+path); code != http.StatusNotFound {
			t.Errorf("ADDR serves %s (%d) although METRICS_ADDR is set", path, code)
		}
	}

	for i, id := range []string{"7001", "7002", "7003"} {
		code, body, err := sendRaw(addr, signedCommand(priv, id, "50000000000000000"+string(rune('1'+i))))
		if err != nil || code != http.StatusOK || !strings.Contains(body, "Ballerina (2023)") {
			t.Fatalf("question %s: %d %q %v\n%s", id, code, body, err, logs)
		}
	}
	fams := scrapeMetrics(t, ops)
	for _, c := range []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"advisorybot_questions_total", map[string]string{"platform": "discord", "kind": "command", "status": "found", "evidence": "curated_review", "problem": "none"}, 3},
		{"advisorybot_answer_duration_seconds", map[string]string{"platform": "discord"}, 3},
		{"advisorybot_redis_degraded", nil, 0},
	} {
		if got := sample(fams, c.family, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.family, c.labels, got, c.want)
		}
	}
	if got := sample(fams, "advisorybot_catalog_reviews", nil); got < 1 {
		t.Errorf("advisorybot_catalog_reviews = %v", got)
	}

	rs.Freeze()
	body := waitReady(t, ops, 503, logs, "redis: unavailable; answering from memory (degraded) until it returns")
	if !strings.HasPrefix(body, "not ready\n") {
		t.Errorf("/readyz body %q", body)
	}
	// Degraded, the replica still answers.
	if code, body, err := sendRaw(addr, signedCommand(priv, "7004", "500000000000000009")); err != nil || code != http.StatusOK || !strings.Contains(body, "Ballerina (2023)") {
		t.Errorf("question while Redis is frozen: %d %q %v", code, body, err)
	}
	fams = scrapeMetrics(t, ops)
	if got := sample(fams, "advisorybot_redis_degraded", nil); got != 1 {
		t.Errorf("advisorybot_redis_degraded = %v while Redis is frozen, want 1", got)
	}
	if got := sample(fams, "advisorybot_redis_errors_total", map[string]string{"op": "ping", "kind": "outage"}); got < 1 {
		t.Errorf("advisorybot_redis_errors_total{op=ping,kind=outage} = %v, want at least 1", got)
	}

	rs.Thaw()
	waitReady(t, ops, 200, logs, "redis: ok")
	if got := sample(scrapeMetrics(t, ops), "advisorybot_redis_degraded", nil); got != 0 {
		t.Errorf("advisorybot_redis_degraded = %v after Redis returned, want 0", got)
	}

	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d\n%s", code, logs)
	}
	if !strings.Contains(logs.String(), "stopped; every answer in flight was sent") {
		t.Errorf("serve did not log that it stopped:\n%s", logs)
	}
}

// TestServeReadyGatewayOnly: with only the Discord gateway, serve still
// listens on ADDR for the probes; /readyz follows the gateway connection.
func TestServeReadyGatewayOnly(t *testing.T) {
	fake := discordtest.New(t)
	addr := freeAddr(t)
	logs, stop := runServe(t, map[string]string{
		"DISCORD_TOKEN":    "probe-token",
		"DISCORD_APP_ID":   fake.AppID,
		"DISCORD_API_BASE": fake.URL,
		"ADDR":             addr,
	})
	base := "http://" + addr
	body := waitReady(t, base, 200, logs, "discord gateway: connected", "shared state: in memory (one replica)")
	if strings.Contains(body, "http endpoints") {
		t.Errorf("no HTTP endpoint is configured, yet /readyz lists them:\n%s", body)
	}
	if got := sample(scrapeMetrics(t, base), "advisorybot_platform_connected", map[string]string{"platform": "discord", "transport": "gateway"}); got != 1 {
		t.Errorf("advisorybot_platform_connected{discord,gateway} = %v, want 1", got)
	}
	fake.Close() // the gateway drops, and reconnecting fails
	waitReady(t, base, 503, logs, "discord gateway: not connected")
	if got := sample(scrapeMetrics(t, base), "advisorybot_platform_connected", map[string]string{"platform": "discord", "transport": "gateway"}); got != 0 {
		t.Errorf("advisorybot_platform_connected{discord,gateway} = %v after the drop, want 0", got)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d\n%s", code, logs)
	}
}

// TestServeReadySocketModeOnly: with only Slack's Socket Mode, serve still
// listens on ADDR for the probes; /readyz follows the connection.
func TestServeReadySocketModeOnly(t *testing.T) {
	sm := slacktestws.NewSocketMode()
	api := slacktestws.NewWebAPI(sm)
	t.Cleanup(api.Stop)
	addr := freeAddr(t)
	logs, stop := runServe(t, map[string]string{
		"SLACK_APP_TOKEN": "xapp-1-A0FAKE-1-test",
		"SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_API_URL":   api.GetAPIURL(),
		"ADDR":            addr,
	})
	base := "http://" + addr
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := sm.WaitConnected(ctx); err != nil {
		t.Fatalf("%v\n%s", err, logs)
	}
	waitReady(t, base, 200, logs, "slack socket mode: connected")
	if got := sample(scrapeMetrics(t, base), "advisorybot_platform_connected", map[string]string{"platform": "slack", "transport": "socket_mode"}); got != 1 {
		t.Errorf("advisorybot_platform_connected{slack,socket_mode} = %v, want 1", got)
	}
	sm.Close() // the connection drops, and reconnecting fails
	waitReady(t, base, 503, logs, "slack socket mode: not connected")
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d\n%s", code, logs)
	}
}

// TestServeMetricsAddrMustDiffer: METRICS_ADDR equal to ADDR is refused at
// start with a message saying what to do.
func TestServeMetricsAddrMustDiffer(t *testing.T) {
	code, _, stderr := runCLI(t, "", map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32), "ADDR": ":9999", "METRICS_ADDR": ":9999"},
		"serve", "--data", "../../testdata/reviews")
	if code != 1 || !strings.Contains(stderr, "leave METRICS_ADDR unset") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestBinarySIGTERMDrains runs the built program as a container would:
// `advisorybot probe` against its own /readyz is the healthcheck, and
// SIGTERM while a question is in flight (its Redis command held by a proxy)
// lets that question be answered, then the process logs that it stopped
// and exits 0.
func TestBinarySIGTERMDrains(t *testing.T) {
	bin := buildBinary(t)
	rs := redistest.Start(t)
	gate := startRedisGate(t, rs.Addr)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{6}, ed25519.SeedSize))
	addr, opsAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "serve", "--data", "../../testdata/reviews")
	cmd.Env = []string{
		"DISCORD_PUBLIC_KEY=" + hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		"ADDR=" + addr, "METRICS_ADDR=" + opsAddr,
		"REDIS_URL=redis://" + gate.addr, "REDIS_TIMEOUT=10s", // the held command must not look like an outage
	}
	logs := &syncbuf.Buffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		gate.open()
	})

	healthcheck := func() error {
		return exec.Command(bin, "probe", "http://"+opsAddr+"/readyz").Run()
	}
	for deadline := time.Now().Add(20 * time.Second); healthcheck() != nil; {
		if time.Now().After(deadline) {
			t.Fatalf("the healthcheck never passed\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond) // the process starts in its own time
	}

	gate.armed.Store(true)
	type answer struct {
		code int
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		code, body, err := sendRaw(addr, signedCommand(priv, "8001", "500000000000000008"))
		answered <- answer{code, body, err}
	}()
	select {
	case <-gate.held:
	case <-time.After(10 * time.Second):
		t.Fatalf("the question never reached Redis\n%s", logs)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, logs, "stopping: finishing the answers in flight", 1)
	gate.open()
	if a := <-answered; a.err != nil || a.code != http.StatusOK || !strings.Contains(a.body, "Ballerina (2023)") {
		t.Fatalf("the question in flight at SIGTERM: %d %q %v\n%s", a.code, a.body, a.err, logs)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM\n%s", err, logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop after SIGTERM\n%s", logs)
	}
	if !strings.Contains(logs.String(), "stopped; every answer in flight was sent") {
		t.Errorf("no line saying it stopped:\n%s", logs)
	}
}
