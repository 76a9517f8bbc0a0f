package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"advisorybot/adapters/memory"
	"advisorybot/adapters/metrics"
	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// scrape GETs /metrics from h and parses it with Prometheus's text parser.
func scrape(t *testing.T, h http.Handler) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parsing the exposition: %v\n%s", err, body)
	}
	return fams, string(body)
}

// value is the value of the family's series with labels (a subset), summed.
func value(f *dto.MetricFamily, labels map[string]string) (float64, bool) {
	sum, found := 0.0, false
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range labels {
			if have[k] != v {
				match = false
			}
		}
		if !match {
			continue
		}
		found = true
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum, found
}

// TestScrape drives the real bot (a catalog, the in-memory store, TMDB's
// fake through the real client) with a few questions, then scrapes
// /metrics: every family is there with its type and label names, counts
// follow the questions, and no label carries a title or a user.
func TestScrape(t *testing.T) {
	cat, err := catalog.Load(context.Background(), os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	fake := tmdbtest.New(t)
	cfg := fake.Config()
	cfg.Observe = m.TMDBRequest
	up, err := tmdb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New()
	limits := bot.DefaultLimits()
	limits.UserPerMinute = 5
	b := bot.New(bot.Config{Catalog: bot.StaticCatalog{C: cat}, Gate: store, Settings: store, Cache: store,
		Upstream: up, Observer: m, Limits: limits})

	ctx := context.Background()
	ask := func(platform string, kind bot.Kind, user, event, text string) bot.Reply {
		return b.Handle(ctx, bot.Request{Platform: platform, Kind: kind, UserID: user, Community: "T1", EventID: event, Text: text})
	}
	want := []struct {
		platform    string
		kind        bot.Kind
		user, event string
		text        string
		status      bot.Status
	}{
		{"slack", bot.KindCommand, "U1", "E1", "Ballerina 2023", bot.StatusFound},     // curated
		{"slack", bot.KindCommand, "U1", "E1", "Ballerina 2023", bot.StatusDuplicate}, // delivered again
		{"discord", bot.KindMention, "U2", "E2", "Bluey", bot.StatusFound},            // TMDB certification
		{"discord", bot.KindMention, "U2", "E3", "Bluey", bot.StatusFound},            // from the cache
		{"discord", bot.KindCommand, "U2", "E4", "Zzyzx Qwerty", bot.StatusNotFound},  // nobody knows it
		{"discord", bot.KindCommand, "U2", "E5", "help", bot.StatusHelp},              // no verdict
		{"discord", bot.KindCommand, "U2", "E6", "Ballerina 2023", bot.StatusFound},   // the fifth this minute
		{"discord", bot.KindCommand, "U2", "E7", "Ballerina 2023", bot.StatusError},   // rate limited
	}
	for i, q := range want {
		if r := ask(q.platform, q.kind, q.user, q.event, q.text); r.Status != q.status {
			t.Fatalf("question %d (%q): status %s, want %s: %s", i, q.text, r.Status, q.status, r.Text)
		}
	}
	m.Rejected("slack")("bad_signature")
	m.Rejected("slack")("bad_signature")
	m.Rejected("discord")("stale_timestamp")
	m.RedisError("cache get", "outage")
	m.Degraded(func() bool { return true }) // healthy
	m.Connection("discord", "gateway", func() bool { return true })
	m.Connection("slack", "socket_mode", func() bool { return false })
	m.Catalog(cat.Len)

	fams, text := scrape(t, m.Handler())
	for _, f := range []struct {
		name   string
		typ    dto.MetricType
		labels []string
	}{
		{"advisorybot_questions_total", dto.MetricType_COUNTER, []string{"evidence", "kind", "platform", "problem", "status"}},
		{"advisorybot_answer_duration_seconds", dto.MetricType_HISTOGRAM, []string{"platform"}},
		{"advisorybot_duplicate_deliveries_total", dto.MetricType_COUNTER, []string{"platform"}},
		{"advisorybot_rate_limited_total", dto.MetricType_COUNTER, []string{"platform"}},
		{"advisorybot_rejected_requests_total", dto.MetricType_COUNTER, []string{"platform", "reason"}},
		{"advisorybot_cache_lookups_total", dto.MetricType_COUNTER, []string{"cache", "result", "tier"}},
		{"advisorybot_cache_loads_total", dto.MetricType_COUNTER, []string{"cache", "result"}},
		{"advisorybot_tmdb_requests_total", dto.MetricType_COUNTER, []string{"endpoint", "outcome"}},
		{"advisorybot_tmdb_request_duration_seconds", dto.MetricType_HISTOGRAM, []string{"endpoint"}},
		{"advisorybot_redis_errors_total", dto.MetricType_COUNTER, []string{"kind", "op"}},
		{"advisorybot_redis_degraded", dto.MetricType_GAUGE, nil},
		{"advisorybot_platform_connected", dto.MetricType_GAUGE, []string{"platform", "transport"}},
		{"advisorybot_catalog_reviews", dto.MetricType_GAUGE, nil},
		{"go_goroutines", dto.MetricType_GAUGE, nil},
		{"process_resident_memory_bytes", dto.MetricType_GAUGE, nil},
	} {
		fam, ok := fams[f.name]
		if !ok {
			t.Errorf("no family %s", f.name)
			continue
		}
		if fam.GetType() != f.typ {
			t.Errorf("%s is a %s, want a %s", f.name, fam.GetType(), f.typ)
		}
		if fam.GetHelp() == "" {
			t.Errorf("%s has no help", f.name)
		}
		for _, s := range fam.GetMetric() {
			var names []string
			for _, l := range s.GetLabel() {
				names = append(names, l.GetName())
			}
			if !slices.Equal(names, f.labels) {
				t.Errorf("%s has labels %v, want %v", f.name, names, f.labels)
			}
		}
	}

	for _, c := range []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"advisorybot_questions_total", nil, float64(len(want))},
		{"advisorybot_questions_total", map[string]string{"platform": "slack", "kind": "command", "status": "found", "evidence": "curated_review", "problem": "none"}, 1},
		{"advisorybot_questions_total", map[string]string{"platform": "discord", "kind": "mention", "status": "found", "evidence": "certification"}, 2},
		{"advisorybot_questions_total", map[string]string{"status": "not_found", "evidence": "none"}, 1},
		{"advisorybot_questions_total", map[string]string{"status": "help", "evidence": "none"}, 1},
		{"advisorybot_questions_total", map[string]string{"status": "error", "problem": "rate_limited"}, 1},
		{"advisorybot_questions_total", map[string]string{"status": "duplicate"}, 1},
		{"advisorybot_duplicate_deliveries_total", map[string]string{"platform": "slack"}, 1},
		{"advisorybot_rate_limited_total", map[string]string{"platform": "discord"}, 1},
		{"advisorybot_answer_duration_seconds", nil, float64(len(want) - 1)}, // the duplicate is no answer
		{"advisorybot_rejected_requests_total", map[string]string{"platform": "slack", "reason": "bad_signature"}, 2},
		{"advisorybot_cache_lookups_total", map[string]string{"cache": "details", "tier": "l1", "result": "hit"}, 1},
		{"advisorybot_cache_lookups_total", map[string]string{"cache": "details", "tier": "l2", "result": "miss"}, 1},
		{"advisorybot_cache_loads_total", map[string]string{"cache": "details", "result": "ok"}, 1},
		{"advisorybot_tmdb_requests_total", map[string]string{"endpoint": "tv", "outcome": "ok"}, 1},
		{"advisorybot_tmdb_request_duration_seconds", map[string]string{"endpoint": "tv"}, 1},
		{"advisorybot_redis_errors_total", map[string]string{"op": "cache_get", "kind": "outage"}, 1},
		{"advisorybot_redis_degraded", nil, 0},
		{"advisorybot_platform_connected", map[string]string{"platform": "discord", "transport": "gateway"}, 1},
		{"advisorybot_platform_connected", map[string]string{"platform": "slack", "transport": "socket_mode"}, 0},
		{"advisorybot_catalog_reviews", nil, float64(cat.Len())},
	} {
		got, ok := value(fams[c.family], c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.family, c.labels, got, ok, c.want)
		}
	}
	// Each title is searched once (the cache answers the rest): with a
	// year, films and shows; without, both at once.
	for ep, want := range map[string]float64{"search_multi": 2, "search_movie": 1, "search_tv": 1} {
		if n, _ := value(fams["advisorybot_tmdb_requests_total"], map[string]string{"endpoint": ep}); n != want {
			t.Errorf("%v %s requests counted, want %v", n, ep, want)
		}
	}
	for _, private := range []string{"Ballerina", "Bluey", "Zzyzx", "U1", "U2", "T1", "E1"} {
		if strings.Contains(text, private) {
			t.Errorf("the exposition mentions %q: labels must not carry titles, users or communities", private)
		}
	}
}

// TestLabelsStayBounded: a value from outside the code's own names (a
// platform or reason nobody declared, text with spaces) becomes "other".
func TestLabelsStayBounded(t *testing.T) {
	m := metrics.New()
	m.Rejected("slack")("Bad Signature from 10.0.0.1")
	m.Answered(context.Background(), bot.Request{Platform: "Sl@ck", Kind: "text"},
		bot.Reply{Status: bot.StatusError, Error: &bot.Problem{Code: "something the user typed"}}, time.Millisecond)
	fams, _ := scrape(t, m.Handler())
	if n, _ := value(fams["advisorybot_rejected_requests_total"], map[string]string{"reason": "other"}); n != 1 {
		t.Errorf("an undeclared reason was kept as a label value")
	}
	if n, _ := value(fams["advisorybot_questions_total"], map[string]string{"platform": "other", "problem": "other"}); n != 1 {
		t.Errorf("an undeclared platform or problem code was kept as a label value")
	}
}
