package redis_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/redis"
	"advisorybot/internal/syncbuf"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    redis.Config
		mode    string
		wantErr string
	}{
		{name: "nothing set: no Redis", env: nil,
			want: redis.Config{Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolTimeout: redis.DefaultPoolTimeout}, mode: "invalid"},
		{name: "URL", env: map[string]string{"REDIS_URL": " redis://:pw@cache:6380/2 "},
			want: redis.Config{URL: "redis://:pw@cache:6380/2", Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolTimeout: redis.DefaultPoolTimeout}, mode: "standalone"},
		{name: "sentinel URL", env: map[string]string{"REDIS_URL": "redis://s1:26379?master_name=main&addr=s2:26379"},
			want: redis.Config{URL: "redis://s1:26379?master_name=main&addr=s2:26379", Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolTimeout: redis.DefaultPoolTimeout}, mode: "sentinel"},
		{name: "cluster endpoint", env: map[string]string{"REDIS_URL": "redis://cfg:7000", "REDIS_CLUSTER": "true"},
			want: redis.Config{URL: "redis://cfg:7000", Cluster: true, Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolTimeout: redis.DefaultPoolTimeout}, mode: "cluster"},
		{name: "addresses and credentials", env: map[string]string{
			"REDIS_ADDRS": "a:1, b:2,,", "REDIS_USERNAME": "u", "REDIS_PASSWORD": "p", "REDIS_DB": "3",
			"REDIS_TIMEOUT": "20ms", "REDIS_DIAL_TIMEOUT": "1s"},
			want: redis.Config{Addrs: []string{"a:1", "b:2"}, Username: "u", Password: "p", DB: 3, Timeout: 20 * time.Millisecond, DialTimeout: time.Second, PoolTimeout: redis.DefaultPoolTimeout}, mode: "cluster"},
		{name: "sentinel addresses", env: map[string]string{"REDIS_ADDRS": "a:1,b:2", "REDIS_MASTER_NAME": "m"},
			want: redis.Config{Addrs: []string{"a:1", "b:2"}, MasterName: "m", Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolTimeout: redis.DefaultPoolTimeout}, mode: "sentinel"},
		{name: "pool", env: map[string]string{"REDIS_URL": "redis://a:1", "REDIS_POOL_SIZE": "8", "REDIS_MIN_IDLE_CONNS": "2", "REDIS_POOL_TIMEOUT": "1s"},
			want: redis.Config{URL: "redis://a:1", Timeout: redis.DefaultTimeout, DialTimeout: redis.DefaultDialTimeout, PoolSize: 8, MinIdleConns: 2, PoolTimeout: time.Second}, mode: "standalone"},
		{name: "bad pool size", env: map[string]string{"REDIS_URL": "redis://a:1", "REDIS_POOL_SIZE": "0"}, wantErr: `REDIS_POOL_SIZE="0": want a whole number, 1 or more`},
		{name: "bad DB", env: map[string]string{"REDIS_ADDRS": "a:1", "REDIS_DB": "-1"}, wantErr: `REDIS_DB="-1": want a whole number, 0 or more`},
		{name: "bad cluster flag", env: map[string]string{"REDIS_ADDRS": "a:1", "REDIS_CLUSTER": "yes please"}, wantErr: `REDIS_CLUSTER="yes please": want true or false`},
		{name: "bad timeout", env: map[string]string{"REDIS_URL": "redis://a:1", "REDIS_TIMEOUT": "fast"}, wantErr: `REDIS_TIMEOUT="fast": want a positive duration`},
		{name: "zero dial timeout", env: map[string]string{"REDIS_URL": "redis://a:1", "REDIS_DIAL_TIMEOUT": "0s"}, wantErr: `REDIS_DIAL_TIMEOUT="0s": want a positive duration`},
		{name: "bad syntax without Redis", env: map[string]string{"REDIS_TIMEOUT": "soon"}, wantErr: `REDIS_TIMEOUT="soon"`},
		{name: "bad scheme", env: map[string]string{"REDIS_URL": "http://localhost"}, wantErr: "redis:"},
		{name: "URL and addresses", env: map[string]string{"REDIS_URL": "redis://a:1", "REDIS_ADDRS": "b:2"}, wantErr: "not both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := redis.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.URL != tc.want.URL || !slices.Equal(got.Addrs, tc.want.Addrs) || got.MasterName != tc.want.MasterName ||
				got.Cluster != tc.want.Cluster || got.Username != tc.want.Username || got.Password != tc.want.Password ||
				got.DB != tc.want.DB || got.Timeout != tc.want.Timeout || got.DialTimeout != tc.want.DialTimeout {
				t.Errorf("config %+v\nwant   %+v", got, tc.want)
			}
			if got.Enabled() != (tc.want.URL != "" || len(tc.want.Addrs) > 0) {
				t.Errorf("Enabled() = %v", got.Enabled())
			}
			if m := got.Mode(); m != tc.mode {
				t.Errorf("Mode() = %q, want %q", m, tc.mode)
			}
		})
	}
}

// TestConfigFromEnvMatchesDocs: every REDIS_* variable docs/redis.md lists
// is read (but the two the caller's wiring reads), with the documented defaults.
func TestConfigFromEnvMatchesDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/redis.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| (`REDIS_[A-Z_]+`(?:, `REDIS_[A-Z_]+`)*) \\| ([^|]*) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		names := strings.Split(m[1], ", ")
		defaults := strings.Split(m[2], ", ")
		for i, n := range names {
			d := strings.TrimSpace(m[2])
			if len(defaults) == len(names) {
				d = strings.TrimSpace(defaults[i])
			}
			documented[strings.Trim(n, "`")] = strings.Trim(d, "`")
		}
	}
	if len(documented) < 10 {
		t.Fatalf("found only %v in docs/redis.md's table", documented)
	}
	read := map[string]bool{}
	cfg, err := redis.ConfigFromEnv(func(k string) string { read[k] = true; return "" })
	if err != nil {
		t.Fatal(err)
	}
	for name := range documented {
		if name == "REDIS_PREFIX" || name == "REDIS_PROBE_INTERVAL" {
			continue
		}
		if !read[name] {
			t.Errorf("docs/redis.md documents %s; ConfigFromEnv does not read it", name)
		}
	}
	for name := range read {
		if _, ok := documented[name]; !ok {
			t.Errorf("ConfigFromEnv reads %s; docs/redis.md does not document it", name)
		}
	}
	if d := documented["REDIS_TIMEOUT"]; d != cfg.Timeout.String() {
		t.Errorf("REDIS_TIMEOUT documented default %q, actual %v", d, cfg.Timeout)
	}
	if d := documented["REDIS_DIAL_TIMEOUT"]; d != cfg.DialTimeout.String() {
		t.Errorf("REDIS_DIAL_TIMEOUT documented default %q, actual %v", d, cfg.DialTimeout)
	}
	if d := documented["REDIS_POOL_TIMEOUT"]; d != cfg.PoolTimeout.String() {
		t.Errorf("REDIS_POOL_TIMEOUT documented default %q, actual %v", d, cfg.PoolTimeout)
	}
	if d := documented["REDIS_PREFIX"]; d != redis.DefaultPrefix {
		t.Errorf("REDIS_PREFIX documented default %q, actual %q", d, redis.DefaultPrefix)
	}
}

// TestOpenLogsGoRedisAtDebug: with Config.Logger, go-redis's own lines (a
// failed dial here) are debug records there, not lines on stderr.
func TestOpenLogsGoRedisAtDebug(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	logs := &syncbuf.Buffer{}
	s, err := redis.Open(redis.Config{Addrs: []string{addr}, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); err == nil {
		t.Fatal("Ping succeeded with nothing listening")
	}
	out := logs.String()
	if !strings.Contains(out, `level=DEBUG msg="go-redis: `) || !strings.Contains(out, "failed to dial") {
		t.Errorf("go-redis's dial failure is not a debug record:\n%s", out)
	}
	if strings.Contains(out, "level=WARN") || strings.Contains(out, "level=ERROR") {
		t.Errorf("go-redis lines above debug:\n%s", out)
	}
}
