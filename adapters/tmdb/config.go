package tmdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"advisorybot/internal/envvar"
)

// Defaults for Config.
const (
	DefaultBaseURL         = "https://api.themoviedb.org/3"
	DefaultLanguage        = "en-US"
	DefaultTimeout         = 2 * time.Second
	DefaultRate            = 35
	DefaultLimiterKey      = "tmdb"
	DefaultMaxBody         = 1 << 20
	DefaultRetryDelay      = 200 * time.Millisecond
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
	// maxHold caps how long a Retry-After holds calls off, so a bad header
	// cannot silence TMDB for hours.
	maxHold = time.Minute
	// defaultRetryAfter is assumed when a 429 carries no usable Retry-After.
	defaultRetryAfter = time.Second
)

// Limiter allows at most limit events per window for a key, across every
// replica sharing it: the store, which adapters/memory, adapters/redis and
// adapters/failover implement.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Config configures a Client. Only one credential is needed; Token wins
// when both are set.
type Config struct {
	// Token is TMDB's API read access token (TMDB_TOKEN), sent as
	// "Authorization: Bearer".
	Token string
	// APIKey is TMDB's v3 API key (TMDB_API_KEY), sent as ?api_key=.
	APIKey string
	// BaseURL is the API root (TMDB_API_URL); DefaultBaseURL when empty.
	BaseURL string
	// Language is the language of titles and overviews (TMDB_LANGUAGE);
	// DefaultLanguage when empty.
	Language string
	// Timeout bounds each Search or Details call, retries and waits
	// included (TMDB_TIMEOUT); DefaultTimeout when zero. The caller's
	// context deadline applies too.
	Timeout time.Duration
	// Rate is the most requests per second sent to TMDB (TMDB_RATE), shared
	// by every replica through Limiter; DefaultRate when zero.
	Rate int
	// Limiter holds the rate across replicas (the store: Redis or memory).
	// When nil, or when it fails, each process holds itself to Rate.
	Limiter Limiter
	// LimiterKey names the shared counter; DefaultLimiterKey when empty.
	LimiterKey string
	// HTTPClient sends the requests; a client with its own transport when nil.
	HTTPClient *http.Client
	// Logger receives the operator's messages; slog.Default() when nil.
	Logger *slog.Logger
	// MaxBody bounds a response body in bytes; DefaultMaxBody when zero.
	MaxBody int64
	// RetryDelay is the mean wait before retrying a 5xx or a failed
	// connection, jittered between half and one and a half times it;
	// DefaultRetryDelay when zero.
	RetryDelay time.Duration
	// BreakerFailures consecutive failures open the circuit breaker;
	// DefaultBreakerFailures when zero.
	BreakerFailures int
	// BreakerCooldown is how long an open breaker refuses calls before it
	// lets one probe through; DefaultBreakerCooldown when zero.
	BreakerCooldown time.Duration
	// Jitter returns a number in [0, 1); math/rand when nil (a hook for tests).
	Jitter func() float64
	// Observe, when set, is told of every request to one of TMDB's
	// endpoints, retries and waits included, for metrics. It must be quick
	// and safe for concurrent use. See Endpoints and Outcomes for the values.
	Observe func(endpoint, outcome string, took time.Duration)
}

// Endpoints are the endpoint names Config.Observe is given.
var Endpoints = []string{"search_multi", "search_movie", "search_tv", "movie", "tv"}

// Outcomes are the outcomes Config.Observe is given: an answer ("ok",
// "not_found"), TMDB refusing the credential ("unauthorized"), TMDB asking
// to slow down ("rate_limited"), the call's own time budget running out
// ("timeout"), the caller giving up ("canceled"), the circuit breaker
// holding calls off ("breaker_open"), or TMDB failing ("error": a 5xx after
// the retry, no connection, an answer that is not TMDB's).
var Outcomes = []string{"ok", "not_found", "unauthorized", "rate_limited", "timeout", "canceled", "breaker_open", "error"}

// Enabled reports whether a credential is configured: without one the bot
// runs without TMDB.
func (c Config) Enabled() bool { return c.Token != "" || c.APIKey != "" }

// ConfigFromEnv reads TMDB_TOKEN, TMDB_API_KEY, TMDB_API_URL,
// TMDB_LANGUAGE, TMDB_TIMEOUT (a Go duration, e.g. "2s") and TMDB_RATE
// (requests per second). Unset variables keep the defaults; a malformed
// one is an error naming it.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Token:    strings.TrimSpace(getenv("TMDB_TOKEN")),
		APIKey:   strings.TrimSpace(getenv("TMDB_API_KEY")),
		BaseURL:  strings.TrimSpace(getenv("TMDB_API_URL")),
		Language: strings.TrimSpace(getenv("TMDB_LANGUAGE")),
	}
	var err error
	if c.Timeout, err = envvar.Duration(getenv, "TMDB_TIMEOUT", 0); err != nil {
		return Config{}, err
	}
	if c.Rate, err = envvar.Int(getenv, "TMDB_RATE", 0, 1); err != nil {
		return Config{}, err
	}
	if c.BaseURL != "" {
		if _, err := parseBaseURL(c.BaseURL); err != nil {
			return Config{}, fmt.Errorf("TMDB_API_URL: %w", err)
		}
	}
	return c, nil
}

func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Language == "" {
		c.Language = DefaultLanguage
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Rate <= 0 {
		c.Rate = DefaultRate
	}
	if c.LimiterKey == "" {
		c.LimiterKey = DefaultLimiterKey
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.BreakerFailures <= 0 {
		c.BreakerFailures = DefaultBreakerFailures
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = DefaultBreakerCooldown
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		c.HTTPClient = &http.Client{Transport: t}
	}
	return c
}

// parseBaseURL accepts an absolute http(s) URL without query or fragment.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.User != nil { // not echoed: it may hold a password
		return nil, errors.New("want no user info in the URL (the credential goes in TMDB_TOKEN or TMDB_API_KEY)")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: want an absolute http(s) URL such as %s", s, DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: want no query or fragment", s)
	}
	return u, nil
}
