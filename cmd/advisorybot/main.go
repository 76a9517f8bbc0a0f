// Command advisorybot answers "is this film family-safe, and why" on the
// console, Discord and Slack. main only wires; the work is in the packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"advisorybot/bot/catalog"
	"advisorybot/data"
)

const usage = `advisorybot — is this film or show family-safe, and why.

Usage:
  advisorybot ask [--json] [--data DIR] "is Ballerina family-safe?"
  advisorybot chat [--data DIR]          interactive terminal session
  advisorybot validate [DIR]             check review files; non-zero exit on any problem
  advisorybot serve [--data DIR]         run the chat-platform adapters configured by env
  advisorybot discord register [--guild ID]
                                         register /advisory and /advisory-settings with Discord (bulk overwrite)
  advisorybot settings [--json] <platform>:<community> [show | age N | country CC | visibility private|public]
                                         read or change a community's settings, e.g. settings slack:T0123ABCD age 10
  advisorybot version [--data DIR]       the program's and the catalog's versions (also --version)
  advisorybot probe [--timeout 2s] URL   GET URL; exit 0 on 2xx, 1 otherwise (container healthchecks)
  advisorybot help

Environment:
  ADVISORYBOT_DATA   review directory to load instead of the embedded catalog
  LOG_LEVEL          debug, info (default), warn, error
  ADDR               HTTP listen address for serve (default :8080)
  METRICS_ADDR       serve /healthz, /readyz and /metrics here instead of on ADDR
  REDIS_URL          shared state and TMDB cache for several replicas (docs/redis.md)
  TMDB_TOKEN, TMDB_API_KEY                               TMDB ratings for any title, in ask, chat and serve (docs/tmdb.md)
  ADVISORYBOT_COUNTRY                                    rating country of communities without one (default US)
  ADVISORYBOT_SETTINGS_FILE  community settings without Redis (a JSON file)
  DISCORD_TOKEN, DISCORD_PUBLIC_KEY, DISCORD_APP_ID      Discord (docs/discord.md)
  SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET Slack (docs/slack.md)
  GOGC, GOMEMLIMIT   garbage collector; serve runs at GOGC=400 unless GOGC is set
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Once the first signal has asked for a clean stop, a second one ends
	// the process at once, for an operator who will not wait for a drain.
	context.AfterFunc(ctx, stop)
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// errUsage marks a mistake in the command line; run prints the usage for it.
var errUsage = errors.New("usage")

// run is main without the process: testable with buffers and a fake environment.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if _, err := logLevel(getenv("LOG_LEVEL")); err != nil {
		fmt.Fprintf(stderr, "advisorybot: %v\n", err)
		return 1
	}
	logger := newLogger(stderr, getenv("LOG_LEVEL"))
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	env := &environment{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, log: logger}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "ask":
		err = env.ask(rest)
	case "chat":
		err = env.chat(rest)
	case "validate":
		err = env.validate(rest)
	case "serve":
		err = env.serve(rest)
	case "discord":
		err = env.discord(rest)
	case "settings":
		err = env.settings(rest)
	case "version", "--version", "-version":
		err = env.version(rest)
	case "probe":
		err = env.probe(rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, "%v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "advisorybot: %v\n", err)
		return 1
	}
}

// environment is what every command gets: streams, env and a logger.
type environment struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger
}

// logLevel reads LOG_LEVEL (default info). A level slog does not know is an
// error: a typo must not silently hide or flood the logs.
func logLevel(s string) (slog.Level, error) {
	l := slog.LevelInfo
	if s = strings.TrimSpace(s); s != "" {
		if err := l.UnmarshalText([]byte(s)); err != nil {
			return l, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", s)
		}
	}
	return l, nil
}

// newLogger logs text records at level, which run has checked with logLevel.
func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := logLevel(level) // info for a level logLevel refuses
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// version prints the program's version (from its build information) and
// the version of the catalog it would answer from.
func (e *environment) version(args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("data", "", "review directory (default: embedded catalog)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	live, err := e.loadCatalog(*dir)
	if err != nil {
		return err
	}
	_, source := e.reviews(*dir)
	cat := live.Current()
	fmt.Fprintf(e.stdout, "advisorybot %s (%s)\ncatalog %s (%s, %d review(s))\n", buildVersion(), runtime.Version(), cat.Version(), source, cat.Len())
	return nil
}

// buildVersion is the main module's version as the go command recorded it:
// a tag, or a pseudo-version from the commit (+dirty with local changes).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// reviews returns the review files: --data DIR, else $ADVISORYBOT_DATA, else the embedded catalog.
func (e *environment) reviews(dir string) (fs.FS, string) {
	if dir == "" {
		dir = e.getenv("ADVISORYBOT_DATA")
	}
	if dir == "" {
		return data.Reviews(), "embedded"
	}
	return os.DirFS(dir), dir
}

func (e *environment) loadCatalog(dir string) (*catalog.Live, error) {
	fsys, name := e.reviews(dir)
	live, err := catalog.NewLive(fsys)
	if err != nil {
		return nil, fmt.Errorf("loading reviews from %s: %w", name, err)
	}
	return live, nil
}
