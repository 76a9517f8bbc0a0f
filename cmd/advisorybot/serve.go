package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"advisorybot/adapters/metrics"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/gcpace"
	"advisorybot/internal/health"
)

// wiring collects what each platform adds to serve: HTTP routes on the one
// shared listener, long-running connections (gateway, Socket Mode), and
// what the probes and metrics watch.
type wiring struct {
	bot     *bot.Bot
	catalog *catalog.Live
	mux     *http.ServeMux
	routes  []string
	runners []func(context.Context) error
	metrics *metrics.Metrics
	probes  *health.Probes
}

func (w *wiring) handle(pattern string, h http.Handler) {
	w.mux.Handle(pattern, h)
	w.routes = append(w.routes, pattern)
}

// connection watches a long-lived platform connection: a readiness check
// and the advisorybot_platform_connected gauge.
func (w *wiring) connection(platform, transport string, connected func() bool) {
	w.metrics.Connection(platform, transport, connected)
	w.probes.Add(platform+" "+strings.ReplaceAll(transport, "_", " "), health.Flag(connected, "connected", "not connected"))
}

func (e *environment) serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("data", "", "review directory (default: embedded catalog)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	live, err := e.loadCatalog(*dir)
	if err != nil {
		return err
	}
	e.log.Info("garbage collector pace", "gogc", gcpace.Apply(e.getenv("GOGC")))
	addr, opsAddr, err := e.listenAddrs()
	if err != nil {
		return err
	}
	m := metrics.New()
	st, closeState, err := e.state(m.RedisError)
	if err != nil {
		return err
	}
	defer closeState()
	cfg, err := e.botConfig(live, st, m.TMDBRequest)
	if err != nil {
		return err
	}
	cfg.Gate, cfg.Settings, cfg.Observer = st, st, m
	b := bot.New(cfg)
	w := &wiring{bot: b, catalog: live, mux: http.NewServeMux(), metrics: m, probes: &health.Probes{}}
	e.watchCore(w, st)
	if err := e.wireDiscord(w); err != nil {
		return err
	}
	if err := e.wireSlack(w); err != nil {
		return err
	}
	if len(w.routes) == 0 && len(w.runners) == 0 {
		return errors.New("no chat platform configured: set DISCORD_TOKEN or DISCORD_PUBLIC_KEY for Discord, SLACK_APP_TOKEN+SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET for Slack (see README); to try the bot without tokens run `advisorybot chat`")
	}
	g, ctx := errgroup.WithContext(e.ctx)
	g.Go(func() error { return e.reloadOnHUP(ctx, live) })
	// The probes and /metrics are served in every mode: on ADDR with the
	// platform endpoints, or on METRICS_ADDR apart from them.
	ops := w.mux
	if opsAddr != "" {
		ops = http.NewServeMux()
		g.Go(func() error { return e.listen(ctx, "metrics", opsAddr, ops, nil) })
	}
	ops.Handle("GET /healthz", health.Live(func() string { return live.Current().Version() }))
	ops.Handle("GET /readyz", w.probes.Ready())
	ops.Handle("GET /metrics", m.Handler())
	if opsAddr == "" || len(w.routes) > 0 {
		var up atomic.Bool
		if len(w.routes) > 0 {
			w.probes.Add("http endpoints", health.Flag(up.Load, "listening on "+addr+": "+strings.Join(w.routes, ", "), "not listening yet"))
		}
		g.Go(func() error { return e.listen(ctx, "http", addr, w.mux, &up) })
	}
	for _, run := range w.runners {
		g.Go(func() error { return run(ctx) })
	}
	context.AfterFunc(ctx, func() {
		w.probes.Stopping()
		e.log.Info("stopping: finishing the answers in flight")
	})
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	if err == nil {
		e.log.Info("stopped; every answer in flight was sent")
	}
	return err
}

// listenAddrs reads ADDR (default :8080), where the platforms' HTTP
// endpoints are served, and METRICS_ADDR: when set, /healthz, /readyz and
// /metrics are served there instead of on ADDR.
func (e *environment) listenAddrs() (addr, opsAddr string, err error) {
	addr = strings.TrimSpace(e.getenv("ADDR"))
	if addr == "" {
		addr = ":8080"
	}
	opsAddr = strings.TrimSpace(e.getenv("METRICS_ADDR"))
	if opsAddr != "" && opsAddr == addr {
		return "", "", fmt.Errorf("METRICS_ADDR=%q is ADDR too: leave METRICS_ADDR unset to serve the probes and /metrics on ADDR, or give it another port", opsAddr)
	}
	return addr, opsAddr, nil
}

// watchCore adds what every mode has to the probes and metrics: the
// catalog, and the shared state (Redis, when configured).
func (e *environment) watchCore(w *wiring, st *sharedState) {
	live := w.catalog
	w.metrics.Catalog(func() int { return live.Current().Len() })
	w.probes.Add("catalog", func(context.Context) (bool, string) {
		c := live.Current()
		return c.Len() > 0, fmt.Sprintf("%s (%d reviews)", c.Version(), c.Len())
	})
	f := st.failover
	if f == nil {
		w.probes.Add("shared state", func(context.Context) (bool, string) { return true, "in memory (one replica)" })
		return
	}
	w.metrics.Degraded(f.Healthy)
	// A frozen or unreachable Redis makes the replica not ready, although
	// it still answers from memory: a load balancer should prefer the
	// replicas that share limits and de-duplication (docs/deploy.md).
	w.probes.Add("redis", func(ctx context.Context) (bool, string) {
		f.Check(ctx) // a ping, which switches to memory if Redis does not answer
		if f.Healthy() {
			return true, "ok"
		}
		return false, "unavailable; answering from memory (degraded) until it returns"
	})
}

// writeTimeout bounds each HTTP response. shutdownTimeout bounds how long
// serve waits for requests in flight once told to stop. A Discord
// interaction that was deferred ("thinking…") is finished inside its
// request: up to the adapter's answer timeout (10 s) and one edit of the
// message (5 s), so the drain allows for both.
const (
	writeTimeout    = 10 * time.Second
	shutdownTimeout = 20 * time.Second
)

// listen serves HTTP on addr until ctx ends; up, when set, is true once
// the listener is bound. name is in the log lines ("http", "metrics").
func (e *environment) listen(ctx context.Context, name, addr string, h http.Handler, up *atomic.Bool) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	e.log.Info(name+" listening", "addr", ln.Addr().String())
	if up != nil {
		up.Store(true)
	}
	return e.serveHTTP(ctx, ln, h)
}

// serveHTTP serves on ln until ctx ends, then stops accepting and returns
// only when every request in flight has been answered (or shutdownTimeout
// has passed), so that what the handlers use — the shared state above all —
// is closed after them, never under them.
func (e *environment) serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: writeTimeout}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serving http: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("http stopping; finishing requests in flight")
	drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(drain)
	<-served // Serve has returned ErrServerClosed once Shutdown started
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("stopping http: requests still in flight after %v: %w", shutdownTimeout, err)
	}
	e.log.Info("http stopped")
	return ctx.Err()
}

// defaultReloadTimeout bounds a SIGHUP reload: reading a few thousand small
// files takes well under a second, so a reload still running after this is
// stuck (a file system that stopped answering).
const defaultReloadTimeout = 10 * time.Second

// reloadOnHUP reloads the catalog on SIGHUP, each reload within
// $ADVISORYBOT_RELOAD_TIMEOUT; a failed or timed-out reload keeps the old
// catalog serving.
func (e *environment) reloadOnHUP(ctx context.Context, live *catalog.Live) error {
	timeout, err := e.durationEnv("ADVISORYBOT_RELOAD_TIMEOUT", defaultReloadTimeout)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return e.reloadOn(ctx, hup, live, timeout)
}

// reloadOn reloads the catalog on every signal until ctx ends.
func (e *environment) reloadOn(ctx context.Context, signals <-chan os.Signal, live *catalog.Live, timeout time.Duration) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-signals:
			rctx, cancel := context.WithTimeout(ctx, timeout)
			err := live.Reload(rctx)
			cancel()
			switch {
			case ctx.Err() != nil: // shutting down
				return ctx.Err()
			case errors.Is(err, context.DeadlineExceeded):
				e.log.Error("catalog reload timed out; still serving the previous catalog", "timeout", timeout, "version", live.Current().Version(), "err", err)
			case err != nil:
				e.log.Error("catalog reload failed; still serving the previous catalog", "version", live.Current().Version(), "err", err)
			default:
				e.log.Info("catalog reloaded", "version", live.Current().Version(), "reviews", live.Current().Len())
			}
		}
	}
}
