// Package metrics exposes the bot's metrics in Prometheus's text format:
// questions and their answers (it implements bot.Observer and
// bot.CacheObserver), the upstream cache, TMDB requests, the shared store's
// errors and degraded mode, rejected requests, and the chat platforms'
// connections. It owns its registry (no global state); serve mounts
// Handler on /metrics.
//
// Every label takes its values from a small set fixed by the code
// (platforms, kinds, statuses, problem codes, endpoints, reasons): never a
// title, a user or a community.
package metrics

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"advisorybot/bot"
	"advisorybot/bot/cache"
)

// Metrics holds the bot's metrics and the registry they are exposed from.
// Its methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	questions     *prometheus.CounterVec
	answerSeconds *prometheus.HistogramVec
	duplicates    *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	rejected      *prometheus.CounterVec
	cacheLookups  *prometheus.CounterVec
	cacheLoads    *prometheus.CounterVec
	tmdbRequests  *prometheus.CounterVec
	tmdbSeconds   *prometheus.HistogramVec
	redisErrors   *prometheus.CounterVec
}

var (
	_ bot.Observer      = (*Metrics)(nil)
	_ bot.CacheObserver = (*Metrics)(nil)
)

// latencyBuckets span an answer from memory (well under a millisecond) to
// one that waited for TMDB (seconds).
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns the metrics, registered with a registry of their own
// together with the Go runtime's and the process's.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	histogram := func(name, help string, labels ...string) *prometheus.HistogramVec {
		h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: latencyBuckets}, labels)
		reg.MustRegister(h)
		return h
	}
	m := &Metrics{
		reg: reg,
		questions: counter("advisorybot_questions_total",
			"Questions answered, by platform, request kind, reply status, evidence of the verdict (none without one) and problem code (none unless status is error).",
			"platform", "kind", "status", "evidence", "problem"),
		answerSeconds: histogram("advisorybot_answer_duration_seconds",
			"Time the bot took to answer a question (duplicates excluded), shared state and upstream lookups included.",
			"platform"),
		duplicates: counter("advisorybot_duplicate_deliveries_total",
			"Deliveries the platform sent again that were already answered (by this or another replica), not answered again.",
			"platform"),
		rateLimited: counter("advisorybot_rate_limited_total",
			"Questions refused because the user or the community asked too often.",
			"platform"),
		rejected: counter("advisorybot_rejected_requests_total",
			"Requests rejected before reaching the bot (bad signature, stale timestamp, too large, queue full...), by reason.",
			"platform", "reason"),
		cacheLookups: counter("advisorybot_cache_lookups_total",
			"Lookups in the upstream cache's tiers (l1 in process, l2 the shared store), by cache (search, details) and result (hit, miss).",
			"cache", "tier", "result"),
		cacheLoads: counter("advisorybot_cache_loads_total",
			"Upstream cache misses loaded from the upstream, by cache and result (ok, error).",
			"cache", "result"),
		tmdbRequests: counter("advisorybot_tmdb_requests_total",
			"Requests to TMDB's endpoints (retries and waits included), by endpoint and outcome.",
			"endpoint", "outcome"),
		tmdbSeconds: histogram("advisorybot_tmdb_request_duration_seconds",
			"Time of a request to a TMDB endpoint, retries and waits included.",
			"endpoint"),
		redisErrors: counter("advisorybot_redis_errors_total",
			"Errors from the shared store (Redis), by operation and kind: outage (answered from memory until Redis returns), busy (no free pooled connection in time; that operation answered from memory), other.",
			"op", "kind"),
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewBuildInfoCollector())
	return m
}

// Handler serves the metrics in Prometheus's exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Answered implements bot.Observer.
func (m *Metrics) Answered(_ context.Context, req bot.Request, reply bot.Reply, took time.Duration) {
	platform := bounded(req.Platform)
	evidence, problem := "none", "none"
	if reply.Verdict != nil && reply.Verdict.Evidence != "" {
		evidence = bounded(string(reply.Verdict.Evidence))
	}
	if reply.Status == bot.StatusError && reply.Error != nil {
		problem = bounded(string(reply.Error.Code))
	}
	m.questions.WithLabelValues(platform, bounded(string(req.Kind)), bounded(string(reply.Status)), evidence, problem).Inc()
	switch {
	case reply.Status == bot.StatusDuplicate:
		m.duplicates.WithLabelValues(platform).Inc()
		return
	case problem == string(bot.ProblemRateLimited):
		m.rateLimited.WithLabelValues(platform).Inc()
	}
	m.answerSeconds.WithLabelValues(platform).Observe(took.Seconds())
}

// CacheLookup implements bot.CacheObserver.
func (m *Metrics) CacheLookup(name string, e cache.Event) {
	if e.Tier() == "load" {
		m.cacheLoads.WithLabelValues(bounded(name), e.Result()).Inc()
		return
	}
	m.cacheLookups.WithLabelValues(bounded(name), e.Tier(), e.Result()).Inc()
}

// TMDBRequest counts one request to a TMDB endpoint: tmdb.Config.Observe.
func (m *Metrics) TMDBRequest(endpoint, outcome string, took time.Duration) {
	endpoint = bounded(endpoint)
	m.tmdbRequests.WithLabelValues(endpoint, bounded(outcome)).Inc()
	m.tmdbSeconds.WithLabelValues(endpoint).Observe(took.Seconds())
}

// RedisError counts one error of the shared store: failover.Options.OnError.
func (m *Metrics) RedisError(op, kind string) {
	m.redisErrors.WithLabelValues(bounded(strings.ReplaceAll(op, " ", "_")), bounded(kind)).Inc()
}

// Rejected returns the counter of a platform's rejected requests, for its
// adapter's rejection log (rejectlog.WithCounter, slack.Config.CountRejected).
func (m *Metrics) Rejected(platform string) func(reason string) {
	platform = bounded(platform)
	return func(reason string) { m.rejected.WithLabelValues(platform, bounded(reason)).Inc() }
}

// Degraded exposes advisorybot_redis_degraded: 1 while the shared store is
// down and the bot answers from memory (failover.Failover.Healthy false).
// Call it once, when a shared store is configured.
func (m *Metrics) Degraded(healthy func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "advisorybot_redis_degraded",
		Help: "1 while the shared store (Redis) is unavailable and this replica answers from memory (limits and de-duplication per replica), else 0.",
	}, func() float64 { return b2f(!healthy()) }))
}

// Connection exposes advisorybot_platform_connected for one long-lived
// connection: transport is "gateway" (Discord) or "socket_mode" (Slack).
// Call it once per connection.
func (m *Metrics) Connection(platform, transport string, connected func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "advisorybot_platform_connected",
		Help:        "1 while the connection to the chat platform (Discord gateway, Slack Socket Mode) is open, else 0.",
		ConstLabels: prometheus.Labels{"platform": bounded(platform), "transport": bounded(transport)},
	}, func() float64 { return b2f(connected()) }))
}

// Catalog exposes advisorybot_catalog_reviews, the number of curated
// reviews serving (it changes on a reload). Call it once.
func (m *Metrics) Catalog(reviews func() int) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "advisorybot_catalog_reviews",
		Help: "Curated reviews in the catalog serving now.",
	}, func() float64 { return float64(reviews()) }))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// bounded keeps a label value that looks like one of the code's own names
// (lower-case letters, digits and underscores, at most 40) and turns
// anything else into "other", so that no value from outside can grow the
// number of series.
func bounded(v string) string {
	if v == "" {
		return "none"
	}
	if len(v) > 40 {
		return "other"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return "other"
		}
	}
	return v
}
