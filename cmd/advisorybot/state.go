package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
)

// store is every shared-state interface the bot uses.
type store interface {
	bot.Cache
	bot.Gate
	bot.RateLimiter // shared by the TMDB client's outgoing rate limit
	bot.Settings
}

// sharedState is the store and the limits read from the environment
// (see docs/redis.md for every variable).
type sharedState struct {
	store
	limits bot.Limits
	// failover is the Redis store's, for the probes and metrics; nil when
	// the state is in memory.
	failover *failover.Failover
}

// state returns the shared-state store: Redis (falling back to memory while
// it is unavailable) when REDIS_URL or REDIS_ADDRS is set, else in memory
// for a single process. onRedisError, when set, is told of Redis's errors
// (metrics).
func (e *environment) state(onRedisError func(op, kind string)) (*sharedState, func(), error) {
	limits, err := e.limits()
	if err != nil {
		return nil, nil, err
	}
	cacheSize, err := e.countEnv("ADVISORYBOT_MEMORY_CACHE_SIZE", memory.DefaultCacheSize)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := redisstore.ConfigFromEnv(e.getenv)
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
	probe, err := e.durationEnv("REDIS_PROBE_INTERVAL", time.Second)
	if err != nil {
		return nil, nil, err
	}
	// go-redis's own lines go to debug: an outage is one warning (the
	// failover's), not one per reconnection attempt.
	cfg.Logger = e.log
	rs, err := redisstore.Open(cfg, prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("configuring redis: %w", err)
	}
	f := failover.New(rs, memory.New(), failover.Options{
		Name: "redis", Logger: e.log, ProbeEvery: probe,
		ProbeTimeout: cfg.DialTimeout + cfg.Timeout, // a probe may have to connect first
		Unavailable:  redisstore.Unavailable,
		Busy:         redisstore.Busy,
		OnError:      onRedisError,
	})
	f.Check(e.ctx)
	e.log.Info("shared state in redis", "mode", cfg.Mode(), "prefix", prefix, "healthy", f.Healthy())
	closeState := func() {
		f.Close()
		if err := rs.Close(); err != nil {
			e.log.Warn("closing redis", "err", err)
		}
	}
	return &sharedState{store: f, limits: limits, failover: f}, closeState, nil
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
