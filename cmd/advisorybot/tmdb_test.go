package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/internal/redistest"
)

// tmdbEnv points the command at fake TMDB with its token.
func tmdbEnv(fake *tmdbtest.Server, extra map[string]string) map[string]string {
	env := map[string]string{"TMDB_TOKEN": tmdbtest.Token, "TMDB_API_URL": fake.URL}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// askJSON runs ask --json and decodes the reply.
func askJSON(t *testing.T, env map[string]string, text string) map[string]any {
	t.Helper()
	code, out, errOut := runCLI(t, "", env, "ask", "--json", text)
	if code != 0 {
		t.Fatalf("%q: exit %d: %s", text, code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%q: not JSON: %v\n%s", text, err, out)
	}
	return got
}

// TestAskJSONWithTMDB: ask --json answers from TMDB when a credential is
// set; match says where the title comes from, verdict.evidence what the
// verdict rests on.
func TestAskJSONWithTMDB(t *testing.T) {
	fake := tmdbtest.New(t)
	tests := []struct {
		name     string
		env      map[string]string
		text     string
		match    map[string]any // fields of match; nil: no match
		evidence any
		level    any
	}{
		{"certification", nil, "is Frozen family-safe?",
			map[string]any{"id": "tmdb:film:900301", "kind": "film", "source": "tmdb", "tmdb_id": float64(tmdbtest.Frozen), "country": "US", "rating": "PG"},
			"certification", "caution"},
		{"a show", nil, "can my 4 year old watch Bluey?",
			map[string]any{"kind": "show", "source": "tmdb", "tmdb_id": float64(tmdbtest.Bluey), "country": "US", "rating": "TV-Y"},
			"certification", "caution"},
		{"the curated review wins", nil, "Ballerina 2023",
			map[string]any{"id": "ballerina-2023", "kind": "film", "source": "curated", "tmdb_id": nil, "country": "US", "rating": "TV-MA"},
			"curated_review", "not_safe"},
		{"no certification", nil, "The Lantern Keeper",
			map[string]any{"kind": "film", "source": "tmdb", "tmdb_id": float64(tmdbtest.LanternKeeper), "country": nil, "rating": nil},
			"none", "unknown"},
		{"not found", nil, "Nothing Like This", nil, "none", "unknown"},
		{"the country", map[string]string{"ADVISORYBOT_COUNTRY": "uk"}, "Frozen",
			map[string]any{"source": "tmdb", "country": "GB", "rating": "U"}, "certification", "caution"},
		{"the US standing in", map[string]string{"ADVISORYBOT_COUNTRY": "FR"}, "Fargo 1996",
			map[string]any{"source": "tmdb", "country": "US", "rating": "R"}, "certification", "not_safe"},
		{"the v3 key", map[string]string{"TMDB_TOKEN": "", "TMDB_API_KEY": tmdbtest.APIKey}, "Frozen",
			map[string]any{"source": "tmdb", "rating": "PG"}, "certification", "caution"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := askJSON(t, tmdbEnv(fake, tc.env), tc.text)
			m, _ := got["match"].(map[string]any)
			switch {
			case tc.match == nil && got["match"] != nil:
				t.Errorf("match %v, want null", got["match"])
			case tc.match != nil && m == nil:
				t.Fatalf("no match: %s", got["text"])
			}
			for k, want := range tc.match {
				if m[k] != want {
					t.Errorf("match.%s = %v, want %v", k, m[k], want)
				}
			}
			v := got["verdict"].(map[string]any)
			if v["evidence"] != tc.evidence || v["level"] != tc.level {
				t.Errorf("verdict evidence %v level %v, want %v %v", v["evidence"], v["level"], tc.evidence, tc.level)
			}
			if tc.evidence == "certification" && got["notice"] != bot.TMDBNotice {
				t.Errorf("notice %v, want TMDB's attribution", got["notice"])
			}
		})
	}
}

// TestAskWithoutTMDB: no credential, no TMDB request, curated answers and
// evidence as before.
func TestAskWithoutTMDB(t *testing.T) {
	fake := tmdbtest.New(t)
	got := askJSON(t, map[string]string{"TMDB_API_URL": fake.URL}, "is Frozen ok for kids?")
	if got["status"] != "not_found" || got["verdict"].(map[string]any)["evidence"] != "none" {
		t.Errorf("status %v verdict %v", got["status"], got["verdict"])
	}
	got = askJSON(t, nil, "Is Ballerina family-safe?")
	if m := got["match"].(map[string]any); m["source"] != "curated" || got["verdict"].(map[string]any)["evidence"] != "curated_review" {
		t.Errorf("match %v verdict %v", m, got["verdict"])
	}
	if n := fake.Total(); n != 0 {
		t.Errorf("%d TMDB requests without a credential", n)
	}
}

func TestAskAndChatTextWithTMDB(t *testing.T) {
	fake := tmdbtest.New(t)
	code, out, errOut := runCLI(t, "", tmdbEnv(fake, nil), "ask", "is Frozen ok for my 6 year old?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Frozen (2013)", "PG", "Not suitable for a 6-year-old", "TMDB"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("ask wrote to stderr:\n%s", errOut)
	}
	// Ballerina is three titles; "3" picks the third listed (2016, from TMDB).
	code, out, errOut = runCLI(t, "Ballerina\n3\nquit\n", tmdbEnv(fake, nil), "chat")
	if code != 0 {
		t.Fatalf("chat exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Ballerina (2025) · film · R", "Ballerina (2016) · film · PG", "Use caution for a 12-year-old"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
}

// TestAskSharesTheCacheThroughRedis: with REDIS_URL, ask uses the same
// cache as serve: a second run (another process) makes no TMDB request.
func TestAskSharesTheCacheThroughRedis(t *testing.T) {
	fake := tmdbtest.New(t)
	srv := redistest.Start(t)
	env := tmdbEnv(fake, map[string]string{"REDIS_URL": "redis://" + srv.Addr, "REDIS_PREFIX": "asktest:"})
	first := askJSON(t, env, "is Frozen family-safe?")
	cold := fake.Total()
	if cold != 2 {
		t.Errorf("a cold question made %d TMDB requests, want 2", cold)
	}
	second := askJSON(t, env, "is Frozen family-safe?")
	if n := fake.Total() - cold; n != 0 {
		t.Errorf("the second run made %d TMDB requests, want 0", n)
	}
	if first["text"] != second["text"] {
		t.Errorf("answers differ: %v / %v", first["text"], second["text"])
	}
	// The outgoing rate is counted in Redis, for every replica.
	if reply, err := redistest.Command(srv.Addr, "EXISTS asktest:rate:tmdb"); err != nil || reply != ":1" {
		t.Errorf("EXISTS asktest:rate:tmdb = %q, %v; want the shared rate window", reply, err)
	}
}

func TestTMDBEnvErrors(t *testing.T) {
	fake := tmdbtest.New(t)
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ADVISORYBOT_COUNTRY": "XX"}, "ADVISORYBOT_COUNTRY"},
		{map[string]string{"ADVISORYBOT_TMDB_CACHE_TTL": "a day"}, "ADVISORYBOT_TMDB_CACHE_TTL"},
		{map[string]string{"ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL": "-1h"}, "ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL"},
		{map[string]string{"ADVISORYBOT_TMDB_CACHE_TTL": "48h", "ADVISORYBOT_TMDB_STALE_TTL": "24h"}, "ADVISORYBOT_TMDB_STALE_TTL"},
		{map[string]string{"ADVISORYBOT_TMDB_STALE_TTL": "8760h"}, "six months"},
		{map[string]string{"ADVISORYBOT_CACHE_TTL": "1h"}, "ADVISORYBOT_TMDB_CACHE_TTL"},
		{map[string]string{"ADVISORYBOT_NEGATIVE_CACHE_TTL": "5m"}, "ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL"},
		{map[string]string{"TMDB_API_URL": "ftp://x"}, "TMDB_API_URL"},
		{map[string]string{"TMDB_TIMEOUT": "soon"}, "TMDB_TIMEOUT"},
	}
	for _, tc := range tests {
		for _, cmd := range []string{"ask", "chat"} {
			code, _, errOut := runCLI(t, "", tmdbEnv(fake, tc.env), cmd, "Frozen")
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("%s with %v: exit %d, stderr %q; want 1 naming %s", cmd, tc.env, code, errOut, tc.want)
			}
		}
	}
	if fake.Total() != 0 {
		t.Errorf("%d TMDB requests with a bad configuration", fake.Total())
	}
}

func TestUpstreamTTLsFromEnv(t *testing.T) {
	e, _ := testEnv(nil)
	got, err := e.upstreamTTLs()
	if err != nil || got != bot.DefaultUpstreamTTLs {
		t.Errorf("defaults: %+v, %v; want %+v", got, err, bot.DefaultUpstreamTTLs)
	}
	if got.Fresh != 24*time.Hour || got.Miss != time.Hour || got.Keep != 7*24*time.Hour {
		t.Errorf("defaults %+v, want a day, an hour and a week as docs/tmdb.md says", got)
	}
	e, _ = testEnv(map[string]string{"ADVISORYBOT_TMDB_CACHE_TTL": "12h", "ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL": "10m", "ADVISORYBOT_TMDB_STALE_TTL": "72h"})
	got, err = e.upstreamTTLs()
	if want := (bot.UpstreamTTLs{Fresh: 12 * time.Hour, Miss: 10 * time.Minute, Keep: 72 * time.Hour}); err != nil || got != want {
		t.Errorf("from env: %+v, %v; want %+v", got, err, want)
	}
}
