package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/internal/envvar"
)

// Config says how to reach Redis: standalone, Sentinel or Cluster.
type Config struct {
	// URL is redis://[user:pass@]host:port[/db], rediss:// for TLS, or
	// unix:///path. With ?master_name=NAME it names Sentinels (more with
	// &addr=host:port); with &addr=host:port (no master_name) or Cluster it
	// names Cluster nodes. go-redis URL options (e.g. ?protocol=2) apply.
	URL string
	// Addrs is the alternative to URL: one address is a standalone server,
	// several are Cluster nodes, and with MasterName they are Sentinels.
	Addrs      []string
	MasterName string
	// Cluster forces Cluster mode with a single address (a configuration
	// endpoint, as on managed services).
	Cluster  bool
	Username string
	Password string
	DB       int

	// Timeout bounds each command's read and write. Keep it in tens of
	// milliseconds: past it Redis counts as unavailable and the bot answers
	// from memory. Default DefaultTimeout.
	Timeout time.Duration
	// DialTimeout bounds opening a connection. Default DefaultDialTimeout.
	DialTimeout time.Duration

	// PoolSize is the most connections per Redis node. Default
	// DefaultPoolSize: every question holds one for one round trip, but a
	// busy replica's goroutines may wait for a CPU while holding it.
	PoolSize int
	// MinIdleConns are kept open, so a burst does not wait for dials.
	// Default GOMAXPROCS.
	MinIdleConns int
	// PoolTimeout bounds waiting for a free connection. A wait past it
	// means this replica is saturated, not that Redis is down: that one
	// operation is answered from memory without entering degraded mode
	// (see Busy). Default DefaultPoolTimeout.
	PoolTimeout time.Duration
	// Logger, when set, receives go-redis's own log lines (one per failed
	// reconnection, for instance) at debug level, so that an outage is
	// reported once by the caller rather than once per attempt. go-redis
	// has one logger per process: the last Open with a Logger sets it.
	Logger *slog.Logger
}

// ConfigFromEnv reads the REDIS_* variables documented in docs/redis.md
// (all but REDIS_PREFIX and REDIS_PROBE_INTERVAL, which belong to the
// caller's wiring). Without REDIS_URL or REDIS_ADDRS the config is not
// Enabled and nothing else is checked beyond the variables' syntax; with
// either, the whole config is checked as Open would.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		URL:        strings.TrimSpace(getenv("REDIS_URL")),
		MasterName: getenv("REDIS_MASTER_NAME"),
		Username:   getenv("REDIS_USERNAME"),
		Password:   getenv("REDIS_PASSWORD"),
	}
	for a := range strings.SplitSeq(getenv("REDIS_ADDRS"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.Addrs = append(c.Addrs, a)
		}
	}
	var err error
	if c.DB, err = envvar.Int(getenv, "REDIS_DB", 0, 0); err != nil {
		return c, err
	}
	if v := getenv("REDIS_CLUSTER"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("REDIS_CLUSTER=%q: want true or false", v)
		}
		c.Cluster = b
	}
	if c.Timeout, err = envvar.Duration(getenv, "REDIS_TIMEOUT", DefaultTimeout); err != nil {
		return c, err
	}
	if c.DialTimeout, err = envvar.Duration(getenv, "REDIS_DIAL_TIMEOUT", DefaultDialTimeout); err != nil {
		return c, err
	}
	if c.PoolTimeout, err = envvar.Duration(getenv, "REDIS_POOL_TIMEOUT", DefaultPoolTimeout); err != nil {
		return c, err
	}
	if c.PoolSize, err = envvar.Int(getenv, "REDIS_POOL_SIZE", 0, 1); err != nil {
		return c, err
	}
	if c.MinIdleConns, err = envvar.Int(getenv, "REDIS_MIN_IDLE_CONNS", 0, 1); err != nil {
		return c, err
	}
	if c.Enabled() {
		if _, err := c.ClientOptions(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// Mode names the deployment the config describes: "standalone",
// "sentinel" or "cluster" ("invalid" when ClientOptions would fail).
func (c Config) Mode() string {
	o, err := c.ClientOptions()
	switch {
	case err != nil:
		return "invalid"
	case o.MasterName != "":
		return "sentinel"
	case o.IsClusterMode || len(o.Addrs) > 1:
		return "cluster"
	}
	return "standalone"
}

// debugLogger turns go-redis's log lines into debug records.
type debugLogger struct{ log *slog.Logger }

func (l debugLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// DefaultPoolSize is the pool size when Config.PoolSize is 0.
func DefaultPoolSize() int { return 32 * runtime.GOMAXPROCS(0) }

// Defaults for Config.
const (
	DefaultTimeout     = 50 * time.Millisecond
	DefaultDialTimeout = 200 * time.Millisecond
	DefaultPoolTimeout = 250 * time.Millisecond
)

// Enabled reports whether Redis is configured at all.
func (c Config) Enabled() bool { return c.URL != "" || len(c.Addrs) > 0 }

// ClientOptions turns the config into go-redis options for
// NewUniversalClient, with short timeouts and no retries: a command that
// fails is answered from memory rather than retried.
func (c Config) ClientOptions() (*goredis.UniversalOptions, error) {
	var o *goredis.UniversalOptions
	switch {
	case c.URL != "" && len(c.Addrs) > 0:
		return nil, errors.New("redis: set either a URL or a list of addresses, not both")
	case c.URL != "":
		var err error
		if o, err = c.fromURL(); err != nil {
			return nil, err
		}
	case len(c.Addrs) > 0:
		o = &goredis.UniversalOptions{
			Addrs: c.Addrs, MasterName: c.MasterName, IsClusterMode: c.Cluster,
			Username: c.Username, Password: c.Password, DB: c.DB,
		}
	default:
		return nil, errors.New("redis: no URL or addresses configured")
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.PoolSize <= 0 {
		c.PoolSize = DefaultPoolSize()
	}
	if c.MinIdleConns <= 0 {
		c.MinIdleConns = min(runtime.GOMAXPROCS(0), c.PoolSize)
	}
	if c.PoolTimeout <= 0 {
		c.PoolTimeout = DefaultPoolTimeout
	}
	o.ReadTimeout, o.WriteTimeout = c.Timeout, c.Timeout
	o.PoolSize, o.MinIdleConns, o.PoolTimeout = c.PoolSize, c.MinIdleConns, c.PoolTimeout
	o.DialTimeout = c.DialTimeout
	o.DialerRetries = 1
	o.MaxRetries = -1 // no retries: a slow answer is worse than a fallback
	o.ContextTimeoutEnabled = true
	o.DisableIdentity = true // no CLIENT SETINFO on connect
	if o.ClientName == "" {
		o.ClientName = "advisorybot"
	}
	return o, nil
}

func (c Config) fromURL() (*goredis.UniversalOptions, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, fmt.Errorf("redis: parsing REDIS_URL: %w", err)
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		f, err := goredis.ParseFailoverURL(c.URL)
		if err != nil {
			return nil, fmt.Errorf("redis: parsing Sentinel URL: %w", err)
		}
		return &goredis.UniversalOptions{
			Addrs: f.SentinelAddrs, MasterName: f.MasterName,
			Username: f.Username, Password: f.Password,
			SentinelUsername: f.SentinelUsername, SentinelPassword: f.SentinelPassword,
			DB: f.DB, TLSConfig: f.TLSConfig, Protocol: f.Protocol,
		}, nil
	case q.Has("addr") || c.Cluster:
		cl, err := goredis.ParseClusterURL(c.URL)
		if err != nil {
			return nil, fmt.Errorf("redis: parsing Cluster URL: %w", err)
		}
		return &goredis.UniversalOptions{
			Addrs: cl.Addrs, IsClusterMode: true,
			Username: cl.Username, Password: cl.Password,
			TLSConfig: cl.TLSConfig, Protocol: cl.Protocol,
		}, nil
	default:
		s, err := goredis.ParseURL(c.URL)
		if err != nil {
			return nil, fmt.Errorf("redis: parsing REDIS_URL: %w", err)
		}
		// A unix socket path starts with "/", which go-redis recognises.
		return &goredis.UniversalOptions{
			Addrs: []string{s.Addr}, Username: s.Username, Password: s.Password,
			DB: s.DB, TLSConfig: s.TLSConfig, Protocol: s.Protocol,
		}, nil
	}
}
