package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"advisorybot/adapters/failover"
	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/adapters/tmdb"
	"advisorybot/bot"
	"advisorybot/bot/rating"
	"advisorybot/internal/envvar"
)

// store is every shared-state interface the bot uses.
type store interface {
	bot.Cache
	bot.Gate
	tmdb.Limiter // the TMDB client's outgoing rate, shared by replicas
	bot.Settings
}

// sharedState is the store and the limits read from the environment
// (see docs/redis.md for every variable).
type sharedState struct {
	store
	limits bot.Limits
	// oneShot: opened for ask or chat, which log their set-up at debug level.
	oneShot bool
	// failover is the Redis store's, for the probes and metrics; nil when
	// the state is in memory.
	failover *failover.Failover
}

// state returns the shared-state store: Redis (falling back to memory while
// it is unavailable) when REDIS_URL or REDIS_ADDRS is set, else in memory
// for a single process. onRedisError, when set, is told of Redis's errors
// (metrics).
func (e *environment) state(onRedisError func(op, kind string)) (*sharedState, func(), error) {
	return e.openState(false, onRedisError)
}

// openState is state; oneShot (ask, chat) says where it is at debug level
// only, since a command that answers and exits keeps no settings anyway.
func (e *environment) openState(oneShot bool, onRedisError func(op, kind string)) (*sharedState, func(), error) {
	notice := slog.LevelWarn
	info := slog.LevelInfo
	if oneShot {
		notice, info = slog.LevelDebug, slog.LevelDebug
	}
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
			e.log.Log(e.ctx, notice, "shared state in memory: community settings are lost on restart; set ADVISORYBOT_SETTINGS_FILE, or REDIS_URL for several replicas")
		} else {
			e.log.Log(e.ctx, info, "shared state in memory", "settings_file", file)
		}
		return &sharedState{store: mem, limits: limits, oneShot: oneShot}, func() {}, nil
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
	e.log.Log(e.ctx, info, "shared state in redis", "mode", cfg.Mode(), "prefix", prefix, "healthy", f.Healthy())
	closeState := func() {
		f.Close()
		if err := rs.Close(); err != nil {
			e.log.Warn("closing redis", "err", err)
		}
	}
	return &sharedState{store: f, limits: limits, oneShot: oneShot, failover: f}, closeState, nil
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

// botConfig is the bot's configuration for every command that answers
// (ask, chat, serve), so that they answer alike: the catalog, TMDB when a
// credential is set (its answers cached in st, its outgoing rate shared
// through st), the rating country and the limits. The caller adds what is
// its own: the Gate and Settings.
// observeTMDB, when set, is told of every TMDB request (metrics).
func (e *environment) botConfig(cat bot.CatalogSource, st *sharedState, observeTMDB func(endpoint, outcome string, took time.Duration)) (bot.Config, error) {
	country, err := e.country()
	if err != nil {
		return bot.Config{}, err
	}
	ttls, err := e.upstreamTTLs()
	if err != nil {
		return bot.Config{}, err
	}
	cfg := bot.Config{Catalog: cat, Logger: e.log, Cache: st, Limits: st.limits, Country: country, UpstreamTTLs: ttls}
	tc, err := tmdb.ConfigFromEnv(e.getenv)
	if err != nil {
		return bot.Config{}, err
	}
	level := slog.LevelInfo
	if st.oneShot {
		level = slog.LevelDebug
	}
	if !tc.Enabled() {
		e.log.Log(e.ctx, level, "TMDB off: answering from curated reviews only (set TMDB_TOKEN or TMDB_API_KEY, see docs/tmdb.md)")
		return cfg, nil
	}
	tc.Limiter, tc.Logger, tc.Observe = st, e.log, observeTMDB
	client, err := tmdb.New(tc)
	if err != nil {
		return bot.Config{}, err
	}
	cfg.Upstream = client
	e.log.Log(e.ctx, level, "TMDB on", "country", country, "cache_ttl", ttls.Fresh, "negative_cache_ttl", ttls.Miss, "stale_ttl", ttls.Keep)
	return cfg, nil
}

// country reads ADVISORYBOT_COUNTRY, the rating country of communities that
// have not chosen one and of ask and chat; US when unset.
func (e *environment) country() (string, error) {
	v := strings.TrimSpace(e.getenv("ADVISORYBOT_COUNTRY"))
	if v == "" {
		return rating.FallbackCountry, nil
	}
	c, err := rating.ParseCountry(v)
	if err != nil {
		return "", fmt.Errorf("ADVISORYBOT_COUNTRY: %w", err)
	}
	return c, nil
}

// maxUpstreamKeep is the longest TMDB's terms let its data be cached.
const maxUpstreamKeep = 180 * 24 * time.Hour

// upstreamTTLs reads how long TMDB's answers are cached; unset variables
// keep bot.DefaultUpstreamTTLs.
func (e *environment) upstreamTTLs() (bot.UpstreamTTLs, error) {
	for old, now := range map[string]string{"ADVISORYBOT_CACHE_TTL": "ADVISORYBOT_TMDB_CACHE_TTL", "ADVISORYBOT_NEGATIVE_CACHE_TTL": "ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL"} {
		if e.getenv(old) != "" {
			return bot.UpstreamTTLs{}, fmt.Errorf("%s is no longer read: set %s (see docs/tmdb.md)", old, now)
		}
	}
	t := bot.DefaultUpstreamTTLs
	var err error
	for _, v := range []struct {
		name string
		dst  *time.Duration
	}{
		{"ADVISORYBOT_TMDB_CACHE_TTL", &t.Fresh},
		{"ADVISORYBOT_TMDB_NEGATIVE_CACHE_TTL", &t.Miss},
		{"ADVISORYBOT_TMDB_STALE_TTL", &t.Keep},
	} {
		if *v.dst, err = e.durationEnv(v.name, *v.dst); err != nil {
			return t, err
		}
	}
	switch {
	case t.Keep < t.Fresh:
		return t, fmt.Errorf("ADVISORYBOT_TMDB_STALE_TTL (%v) must be at least ADVISORYBOT_TMDB_CACHE_TTL (%v): stale answers are the fresh ones kept longer", t.Keep, t.Fresh)
	case t.Keep > maxUpstreamKeep:
		return t, fmt.Errorf("ADVISORYBOT_TMDB_STALE_TTL (%v) is over %v: TMDB's terms allow caching its data for six months at most", t.Keep, maxUpstreamKeep)
	}
	return t, nil
}

// countEnv reads a whole number, 0 or more.
func (e *environment) countEnv(name string, def int) (int, error) {
	return envvar.Int(e.getenv, name, def, 0)
}

// durationEnv reads a positive duration.
func (e *environment) durationEnv(name string, def time.Duration) (time.Duration, error) {
	return envvar.Duration(e.getenv, name, def)
}
