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
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/gcpace"
)

// wiring collects what each platform adds to serve: HTTP routes on the one
// shared listener, and long-running connections (gateway, Socket Mode).
type wiring struct {
	bot     *bot.Bot
	catalog *catalog.Live
	mux     *http.ServeMux
	routes  int
	runners []func(context.Context) error
}

func (w *wiring) handle(pattern string, h http.Handler) {
	w.mux.Handle(pattern, h)
	w.routes++
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
	st, closeState, err := e.state()
	if err != nil {
		return err
	}
	defer closeState()
	cfg, err := e.botConfig(live, st)
	if err != nil {
		return err
	}
	cfg.Gate, cfg.Settings = st, st
	b := bot.New(cfg)
	w := &wiring{bot: b, catalog: live, mux: http.NewServeMux()}
	if err := e.wireDiscord(w); err != nil {
		return err
	}
	if err := e.wireSlack(w); err != nil {
		return err
	}
	if w.routes == 0 && len(w.runners) == 0 {
		return errors.New("no chat platform configured: set DISCORD_TOKEN or DISCORD_PUBLIC_KEY for Discord, SLACK_APP_TOKEN+SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET for Slack (see README); to try the bot without tokens run `advisorybot chat`")
	}
	g, ctx := errgroup.WithContext(e.ctx)
	g.Go(func() error { return e.reloadOnHUP(ctx, live) })
	if w.routes > 0 {
		w.mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(rw, "ok %s\n", live.Current().Version())
		})
		g.Go(func() error { return e.listen(ctx, w.mux) })
	}
	for _, run := range w.runners {
		g.Go(func() error { return run(ctx) })
	}
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
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

// listen serves HTTP on $ADDR (default :8080) until ctx ends.
func (e *environment) listen(ctx context.Context, h http.Handler) error {
	addr := e.getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	e.log.Info("http listening", "addr", ln.Addr().String())
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
