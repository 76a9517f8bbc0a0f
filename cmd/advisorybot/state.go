package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
)

// store is every shared-state interface the bot uses.
type store interface {
	bot.Cache
	bot.Conversations
	bot.Deduper
	bot.RateLimiter
	bot.Settings
}

// sharedState is the store and the limits read from the environment
// (see docs/redis.md for every variable).
type sharedState struct {
	store
	limits bot.Limits
}

// state returns the shared-state store: Redis (falling back to memory while
// it is unavailable) when REDIS_URL or REDIS_ADDRS is set, else in memory
// for a single process.
func (e *environment) state() (*sharedState, func(), error) {
	limits, err := e.limits()
	if err != nil {
		return nil, nil, err
	}
	cacheSize, err := e.countEnv("ADVISORYBOT_MEMORY_CACHE_SIZE", memory.DefaultCacheSize)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := e.redisConfig()
	if err != nil {
		return nil, nil, err
	}
	if !cfg.Enabled() {
		file := e.getenv("ADVISORYBOT_SETTINGS_FILE")
		mem, err := memory.Open(memory.Options{CacheSize: cacheSize, SettingsFile: file})
		if err != nil {
			return nil, nil, fmt.Errorf("opening the in-memory store: %w", err)
		}
		if file == "" {
			e.log.Warn("shared state in memory: community settings are lost on restart; set ADVISORYBOT_SETTINGS_FILE, or REDIS_URL for several replicas")
		} else {
			e.log.Info("shared state in memory", "settings_file", file)
		}
		return &sharedState{store: mem, limits: limits}, func() {}, nil
	}
	prefix := e.getenv("REDIS_PREFIX")
	if prefix == "" {
		prefix = redisstore.DefaultPrefix
	}
	rs, err := redisstore.Open(cfg, prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("configuring redis: %w", err)
	}
	probe, err := e.durationEnv("REDIS_PROBE_INTERVAL", time.Second)
	if err != nil {
		return nil, nil, err
	}
	// go-redis logs each failed dial through a process-wide logger; send
	// those lines to debug so an outage is one warning (the failover's), not
	// one per reconnection attempt.
	goredis.SetLogger(redisLogger{e.log})
	f := failover.New(rs, memory.New(), failover.Options{
		Name: "redis", Logger: e.log, ProbeEvery: probe,
		ProbeTimeout: cfg.DialTimeout + cfg.Timeout, // a probe may have to connect first
		Unavailable:  redisstore.Unavailable,
	})
	f.Check(e.ctx)
	e.log.Info("shared state in redis", "mode", redisMode(cfg), "prefix", prefix, "healthy", f.Healthy())
	closeState := func() {
		f.Close()
		if err := rs.Close(); err != nil {
			e.log.Warn("closing redis", "err", err)
		}
	}
	return &sharedState{store: f, limits: limits}, closeState, nil
}

func redisMode(c redisstore.Config) string {
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

// redisConfig reads REDIS_*; no REDIS_URL or REDIS_ADDRS means no Redis.
func (e *environment) redisConfig() (redisstore.Config, error) {
	c := redisstore.Config{
		URL:        strings.TrimSpace(e.getenv("REDIS_URL")),
		MasterName: e.getenv("REDIS_MASTER_NAME"),
		Username:   e.getenv("REDIS_USERNAME"),
		Password:   e.getenv("REDIS_PASSWORD"),
	}
	for a := range strings.SplitSeq(e.getenv("REDIS_ADDRS"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.Addrs = append(c.Addrs, a)
		}
	}
	var err error
	if c.DB, err = e.countEnv("REDIS_DB", 0); err != nil {
		return c, err
	}
	if v := e.getenv("REDIS_CLUSTER"); v != "" {
		if c.Cluster, err = strconv.ParseBool(v); err != nil {
			return c, fmt.Errorf("REDIS_CLUSTER=%q: want true or false", v)
		}
	}
	if c.Timeout, err = e.durationEnv("REDIS_TIMEOUT", redisstore.DefaultTimeout); err != nil {
		return c, err
	}
	if c.DialTimeout, err = e.durationEnv("REDIS_DIAL_TIMEOUT", redisstore.DefaultDialTimeout); err != nil {
		return c, err
	}
	if c.Enabled() {
		if _, err := c.ClientOptions(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// limits reads the TTLs, rate limits and cache size; unset variables keep
// bot.DefaultLimits.
func (e *environment) limits() (bot.Limits, error) {
	l := bot.DefaultLimits()
	var err error
	for _, v := range []struct {
		name string
		dst  *int
	}{
		{"ADVISORYBOT_USER_RATE_PER_MINUTE", &l.UserPerMinute},
		{"ADVISORYBOT_COMMUNITY_RATE_PER_MINUTE", &l.CommunityPerMinute},
		{"ADVISORYBOT_LOCAL_CACHE_SIZE", &l.LocalCacheSize}, // 0: no in-process tier
	} {
		if *v.dst, err = e.countEnv(v.name, *v.dst); err != nil {
			return l, err
		}
	}
	for _, v := range []struct {
		name string
		dst  *time.Duration
	}{
		{"ADVISORYBOT_CACHE_TTL", &l.CacheTTL},
		{"ADVISORYBOT_NEGATIVE_CACHE_TTL", &l.NegativeCacheTTL},
		{"ADVISORYBOT_DEDUPE_TTL", &l.DedupeTTL},
		{"ADVISORYBOT_CONVERSATION_TTL", &l.ConversationTTL},
	} {
		if *v.dst, err = e.durationEnv(v.name, *v.dst); err != nil {
			return l, err
		}
	}
	if l.UserPerMinute == 0 || l.CommunityPerMinute == 0 {
		return l, fmt.Errorf("rate limits must be at least 1 per minute")
	}
	return l, nil
}

// countEnv reads a whole number, 0 or more.
func (e *environment) countEnv(name string, def int) (int, error) {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: want a whole number, 0 or more", name, v)
	}
	return n, nil
}

// durationEnv reads a positive duration.
func (e *environment) durationEnv(name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration such as 50ms, 30s or 1h", name, v)
	}
	return d, nil
}

// redisLogger turns go-redis's internal log lines into debug records.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}
