// Package tmdb is a small client for The Movie Database's API v3: title
// search and a title's details with its certifications in every country.
// It implements bot.Upstream and translates only: choosing a certification
// and caching answers are the core's work.
//
// Every call has a time budget; a 429 is honoured (Retry-After), a 5xx or a
// failed connection is retried once after a jittered pause, a 401 is logged
// once for the operator, a circuit breaker stops calling a failing TMDB for
// a while, and requests are held under a rate shared by every replica.
package tmdb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"advisorybot/bot"
)

// maxTitleBytes bounds a searched title; longer text is not a title.
const maxTitleBytes = 500

// errBudget is the cause of a call's context ending at the call's own
// Timeout, which tells TMDB's slowness from a caller that gave up.
var errBudget = errors.New("TMDB call over its time budget")

var errTooLarge = errors.New("answer too large")

// errRateLimited marks TMDB asking the client to slow down (HTTP 429), for
// Config.Observe.
var errRateLimited = errors.New("rate limited by TMDB")

// errBreakerOpen marks a call the circuit breaker held off, for Config.Observe.
var errBreakerOpen = errors.New("not calling TMDB for a while after repeated failures")

// Client is a TMDB client. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	log     *slog.Logger
	jitter  func() float64
	breaker breaker
	limit   *limiter

	authLogged atomic.Bool // a 401 was logged and no answer succeeded since

	mu        sync.Mutex
	holdUntil time.Time // TMDB's last Retry-After, for every call
}

var _ bot.Upstream = (*Client)(nil)

// New returns a client for cfg. It fails without a credential or with a
// malformed BaseURL.
func New(cfg Config) (*Client, error) {
	if !cfg.Enabled() {
		return nil, errors.New("tmdb: no credential: set TMDB_TOKEN (API read access token) or TMDB_API_KEY")
	}
	cfg = cfg.withDefaults()
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("tmdb: base URL: %w", err)
	}
	jitter := cfg.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	return &Client{
		cfg:     cfg,
		base:    base,
		log:     cfg.Logger,
		jitter:  jitter,
		breaker: breaker{threshold: cfg.BreakerFailures, cooldown: cfg.BreakerCooldown},
		limit:   newLimiter(cfg.Limiter, cfg.LimiterKey, cfg.Rate, cfg.Logger, jitter),
	}, nil
}

// Search finds films and shows titled title; people are dropped. Without a
// year it asks /search/multi: one request for films and shows together.
// With a year it asks /search/movie (primary_release_year) and /search/tv
// (first_air_date_year) at once, so TMDB filters by year over all its
// results, not only the first page /search/multi returns; the year is the
// primary release year, the one Search reports. Results keep TMDB's order,
// films and shows merged by popularity.
func (c *Client) Search(ctx context.Context, title string, year int) ([]bot.UpstreamTitle, error) {
	title = clean(title)
	if title == "" {
		return nil, nil
	}
	if len(title) > maxTitleBytes {
		return nil, fmt.Errorf("tmdb: searching: a title of %d bytes is too long (at most %d)", len(title), maxTitleBytes)
	}
	ctx, cancel := c.budget(ctx)
	defer cancel()
	q := func(kv ...string) url.Values {
		v := url.Values{"query": {title}, "include_adult": {"false"}, "page": {"1"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	if year <= 0 {
		titles, err := c.search(ctx, "/search/multi", q(), "")
		if err != nil {
			return nil, fmt.Errorf("tmdb: searching %q: %w", title, err)
		}
		return titles, nil
	}
	y := strconv.Itoa(year)
	var (
		wg           sync.WaitGroup
		films, shows []bot.UpstreamTitle
		fErr, sErr   error
	)
	wg.Go(func() { films, fErr = c.search(ctx, "/search/movie", q("primary_release_year", y), bot.MediaFilm) })
	wg.Go(func() { shows, sErr = c.search(ctx, "/search/tv", q("first_air_date_year", y), bot.MediaShow) })
	wg.Wait()
	// Both halves or nothing: half an answer would hide the other kind.
	if err := cmp.Or(fErr, sErr); err != nil {
		return nil, fmt.Errorf("tmdb: searching %q (%d): %w", title, year, err)
	}
	titles := append(films, shows...)
	slices.SortStableFunc(titles, func(a, b bot.UpstreamTitle) int { return cmp.Compare(b.Popularity, a.Popularity) })
	return titles, nil
}

func (c *Client) search(ctx context.Context, path string, q url.Values, kind bot.MediaKind) ([]bot.UpstreamTitle, error) {
	var titles []bot.UpstreamTitle
	err := c.get(ctx, path, q, func(body []byte) (err error) {
		titles, err = decodeSearch(body, kind)
		return err
	})
	return titles, err
}

// Details returns a film with every release's certification, or a show
// with every country's content rating, with its alternative titles.
func (c *Client) Details(ctx context.Context, ref bot.UpstreamRef) (bot.UpstreamDetails, error) {
	var (
		path   string
		q      url.Values
		decode func([]byte) (bot.UpstreamDetails, error)
	)
	switch ref.Kind {
	case bot.MediaFilm:
		path, decode = "/movie/"+strconv.Itoa(ref.ID), decodeMovie
		q = url.Values{"append_to_response": {"release_dates,alternative_titles"}}
	case bot.MediaShow:
		path, decode = "/tv/"+strconv.Itoa(ref.ID), decodeTV
		q = url.Values{"append_to_response": {"content_ratings,alternative_titles"}}
	default:
		return bot.UpstreamDetails{}, fmt.Errorf("tmdb: details of %q %d: unknown kind", ref.Kind, ref.ID)
	}
	if ref.ID <= 0 {
		return bot.UpstreamDetails{}, fmt.Errorf("tmdb: details of %s %d: %w", ref.Kind, ref.ID, bot.ErrUpstreamNotFound)
	}
	ctx, cancel := c.budget(ctx)
	defer cancel()
	var d bot.UpstreamDetails
	err := c.get(ctx, path, q, func(body []byte) (err error) {
		d, err = decode(body)
		return err
	})
	if err != nil {
		return bot.UpstreamDetails{}, fmt.Errorf("tmdb: details of %s %d: %w", ref.Kind, ref.ID, err)
	}
	return d, nil
}

func (c *Client) budget(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, c.cfg.Timeout, errBudget)
}

// get sends one GET (retried as the package comment says) and hands a 2xx
// body to decode. Errors wrap bot.ErrUpstreamAuth, ErrUpstreamNotFound or
// ErrUpstreamUnavailable.
func (c *Client) get(ctx context.Context, path string, q url.Values, decode func([]byte) error) (err error) {
	if c.cfg.Observe != nil {
		start := time.Now()
		defer func() { c.cfg.Observe(endpoint(path), outcomeOf(ctx, err), time.Since(start)) }()
	}
	ok, probe := c.breaker.allow(time.Now())
	if !ok {
		return fmt.Errorf("GET %s: %w: %w", path, errBreakerOpen, bot.ErrUpstreamUnavailable)
	}
	o, err := c.exchange(ctx, path, q, decode)
	switch c.breaker.done(probe, o, time.Now()) {
	case opened:
		c.log.WarnContext(ctx, "tmdb: failing; not calling it for a while (answers come from the cache or say the ratings service is unreachable)",
			"cooldown", c.cfg.BreakerCooldown, "err", err)
	case closed:
		c.log.InfoContext(ctx, "tmdb: answering again")
	}
	return err
}

// exchange sends the request, retrying once after a 429 (when Retry-After
// fits in the budget), a 5xx or a failed connection.
func (c *Client) exchange(ctx context.Context, path string, q url.Values, decode func([]byte) error) (outcome, error) {
	unavailable := func(format string, args ...any) error {
		return fmt.Errorf("GET %s: %s: %w", path, fmt.Sprintf(format, args...), bot.ErrUpstreamUnavailable)
	}
	for attempt := 1; ; attempt++ {
		if err := c.holdOff(ctx); err != nil {
			return c.ctxOutcome(ctx), fmt.Errorf("GET %s: %w: %w", path, err, bot.ErrUpstreamUnavailable)
		}
		if err := c.limit.wait(ctx); err != nil {
			return c.ctxOutcome(ctx), unavailable("%v", err)
		}
		status, header, body, err := c.send(ctx, path, q)
		if errors.Is(err, errTooLarge) {
			return failed, unavailable("%v", err) // the same answer would come again
		}
		if err != nil {
			if ctx.Err() != nil {
				return c.ctxOutcome(ctx), unavailable("no answer in time: %v", context.Cause(ctx))
			}
			if attempt == 1 && c.pause(ctx) {
				continue
			}
			return failed, unavailable("%v", err)
		}
		switch {
		case status >= 200 && status < 300:
			if err := decode(body); err != nil {
				return failed, unavailable("%v", err)
			}
			c.authLogged.Store(false)
			return healthy, nil
		case status == http.StatusUnauthorized:
			c.logAuth(ctx, body)
			return neutral, fmt.Errorf("GET %s: %s: %w", path, statusText(status, body), bot.ErrUpstreamAuth)
		case status == http.StatusNotFound:
			return healthy, fmt.Errorf("GET %s: HTTP 404: %w", path, bot.ErrUpstreamNotFound)
		case status == http.StatusTooManyRequests:
			d := retryAfter(header)
			c.hold(d)
			if attempt == 1 && fits(ctx, d) {
				continue // holdOff waits
			}
			return neutral, fmt.Errorf("GET %s: %w (HTTP 429, Retry-After %s): %w", path, errRateLimited, d, bot.ErrUpstreamUnavailable)
		case status >= 500:
			if attempt == 1 && c.pause(ctx) {
				continue
			}
			return failed, unavailable("%s", statusText(status, body))
		default:
			return healthy, unavailable("unexpected %s", statusText(status, body))
		}
	}
}

// endpoint names path's endpoint for Config.Observe: "/search/multi" is
// "search_multi", "/movie/550" is "movie" (never the id: labels stay few).
func endpoint(path string) string {
	rest, search := strings.CutPrefix(path, "/search/")
	if search {
		return "search_" + rest
	}
	kind, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return kind
}

// outcomeOf classifies a call's result for Config.Observe (see Outcomes).
func outcomeOf(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, bot.ErrUpstreamNotFound):
		return "not_found"
	case errors.Is(err, bot.ErrUpstreamAuth):
		return "unauthorized"
	case errors.Is(err, errBreakerOpen):
		return "breaker_open"
	case errors.Is(err, errRateLimited):
		return "rate_limited"
	case errors.Is(context.Cause(ctx), errBudget):
		return "timeout"
	case ctx.Err() != nil:
		return "canceled"
	}
	return "error"
}

// statusText is "HTTP 503", with TMDB's own status when the body has one.
func statusText(status int, body []byte) string {
	if msg := decodeAPIError(body); msg != "" {
		return fmt.Sprintf("HTTP %d (%s)", status, msg)
	}
	return fmt.Sprintf("HTTP %d", status)
}

// send sends one request and reads the answer's body, at most MaxBody
// bytes. Errors never hold the URL: its query may carry the API key.
func (c *Client) send(ctx context.Context, path string, q url.Values) (int, http.Header, []byte, error) {
	u := *c.base
	u.Path += path
	q.Set("language", c.cfg.Language)
	if c.cfg.Token == "" {
		q.Set("api_key", c.cfg.APIKey)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, nil, nil, errors.New("building the request")
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.cfg.MaxBody {
		return 0, nil, nil, fmt.Errorf("%w: %d bytes, over %d", errTooLarge, resp.ContentLength, c.cfg.MaxBody)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBody+1))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(body)) > c.cfg.MaxBody {
		return 0, nil, nil, fmt.Errorf("%w: over %d bytes", errTooLarge, c.cfg.MaxBody)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// ctxOutcome says whether a call that ran out of time counts against
// TMDB: only when the call's own budget ran out, not when the caller gave
// up or had a shorter deadline of its own.
func (c *Client) ctxOutcome(ctx context.Context) outcome {
	if errors.Is(context.Cause(ctx), errBudget) {
		return failed
	}
	return neutral
}

// pause waits a jittered RetryDelay before a retry; false when that would
// not fit in the budget.
func (c *Client) pause(ctx context.Context) bool {
	d := time.Duration(float64(c.cfg.RetryDelay) * (0.5 + c.jitter()))
	return fits(ctx, d) && sleep(ctx, d) == nil
}

// hold makes every call wait until d from now, as TMDB's Retry-After asks.
func (c *Client) hold(d time.Duration) {
	until := time.Now().Add(d)
	c.mu.Lock()
	if until.After(c.holdUntil) {
		c.holdUntil = until
	}
	c.mu.Unlock()
}

// holdOff waits out a Retry-After in force, or fails at once when it ends
// after the call's deadline.
func (c *Client) holdOff(ctx context.Context) error {
	c.mu.Lock()
	d := time.Until(c.holdUntil)
	c.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if !fits(ctx, d) {
		return fmt.Errorf("%w: TMDB asked to wait %s (HTTP 429), past the deadline", errRateLimited, d.Round(time.Millisecond))
	}
	return sleep(ctx, d)
}

// retryAfter reads Retry-After (seconds, or an HTTP date), capped at
// maxHold; defaultRetryAfter when absent or unreadable.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return defaultRetryAfter
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return defaultRetryAfter
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(time.Until(t), 0)
	} else {
		return defaultRetryAfter
	}
	return min(d, maxHold)
}

// logAuth tells the operator, once until an answer succeeds again, that
// TMDB refused the credential. The credential itself is never logged.
func (c *Client) logAuth(ctx context.Context, body []byte) {
	if !c.authLogged.CompareAndSwap(false, true) {
		return
	}
	which := "TMDB_TOKEN (API read access token, sent as a Bearer header)"
	if c.cfg.Token == "" {
		which = "TMDB_API_KEY (v3 API key)"
	}
	c.log.ErrorContext(ctx, "tmdb: TMDB refused the credential (HTTP 401); check "+which+
		"; lookups in TMDB fail until it is fixed (curated reviews still work)",
		"tmdb_says", decodeAPIError(body))
}
