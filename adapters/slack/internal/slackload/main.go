// Command slackload is the Slack HTTP benchmark's two halves.
//
// With no -load flag it serves the targets the benchmark compares, side by
// side in one process: a handler that only verifies the signature, the
// adapter's full slash-command path on the real bot, and two diagnostic
// targets.
//
// With -load URL it is the load generator: connections that post slash
// commands as Slack does, each signed afresh with a current timestamp and
// a unique trigger_id (the endpoint answers each delivery once, so a
// replayed request would measure the duplicate path).
//
// See docs/BENCHMARKS.md, "Slack HTTP slash command", and bench.sh.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/sync/errgroup"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/internal/gcpace"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "slackload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slackload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verifyAddr := fs.String("verify", "127.0.0.1:8101", "address of the verify-only server")
	fullAddr := fs.String("full", "127.0.0.1:8102", "address of the full slash-command server")
	cannedAddr := fs.String("canned", "127.0.0.1:8103", "address of the adapter-only server (the bot's answer computed once, for diagnosis)")
	answerAddr := fs.String("answer", "127.0.0.1:8104", "address of the answer-only server (verify, then write the full path's answer as is, for diagnosis)")
	data := fs.String("data", "testdata/reviews", "review directory")
	secret := fs.String("secret", "8f742231b10e8888abcd99yyyzzz85a5", "signing secret (a test value)")
	text := fs.String("text", "Ballerina 2023", "slash command text")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	load := fs.String("load", "", "generate load against this URL (e.g. http://127.0.0.1:8102/slack/commands) instead of serving")
	conns := fs.Int("c", 64, "load: connections")
	duration := fs.Duration("d", 10*time.Second, "load: duration")
	requests := fs.Int("n", 0, "load: stop after this many requests in all (0: run for -d)")
	show := fs.Bool("show", false, "with -load: send one command, print the answer's body and exit (to give a peer the same answer)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("starting the CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *load != "" && *show {
		return showAnswer(ctx, stdout, *load, *secret, *text)
	}
	if *load != "" {
		res, err := generate(ctx, loadConfig{URL: *load, Secret: *secret, Text: *text, Conns: *conns, Duration: *duration, Requests: *requests})
		if err != nil {
			return err
		}
		res.write(stdout)
		return nil
	}
	return serveTargets(ctx, stderr, *data, *secret, *text, map[string]string{
		"verify": *verifyAddr, "full": *fullAddr, "canned": *cannedAddr, "answer": *answerAddr,
	})
}

func serveTargets(ctx context.Context, stderr io.Writer, data, secret, text string, addrs map[string]string) error {
	gcpace.Apply(os.Getenv("GOGC")) // as advisorybot serve runs, for every target
	live, err := catalog.NewLive(os.DirFS(data))
	if err != nil {
		return fmt.Errorf("loading reviews: %w", err)
	}
	// Conversations, de-duplication and settings in memory as `serve` wires
	// them; no rate limiter, or one user at 60k req/s would be refused
	// (a cheaper path than answering).
	st := memory.New()
	b := bot.New(bot.Config{Catalog: live, Gate: st, Settings: st})
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := slackadapter.New(slackadapter.Config{Bot: b, SigningSecret: secret, Logger: log})
	if err != nil {
		return err
	}
	// The adapter alone: the same path with the bot's answer to the text
	// computed once. It shows what the adapter costs apart from the bot.
	canned := cannedBot(b.Handle(ctx, bot.Request{Platform: slackadapter.Platform, Kind: bot.KindCommand, Text: text}))
	ca, err := slackadapter.New(slackadapter.Config{Bot: canned, SigningSecret: secret, Logger: log})
	if err != nil {
		return err
	}
	// The full path's answer to the text, for the answer-only target.
	body, ts, sig := signCommand(secret, text, "0.0.answer", time.Now())
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	setHeaders(req.Header, ts, sig)
	rec := httptest.NewRecorder()
	a.Commands().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
		return fmt.Errorf("the full path answered %d with %d bytes", rec.Code, rec.Body.Len())
	}
	answer := verifyOnly(secret, rec.Header().Get("Content-Type"), rec.Body.Bytes())

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.Run(ctx) })
	g.Go(func() error { return ca.Run(ctx) })
	g.Go(func() error { return serve(ctx, addrs["verify"], verifyOnly(secret, "", nil)) })
	g.Go(func() error { return serve(ctx, addrs["full"], a.Commands()) })
	g.Go(func() error { return serve(ctx, addrs["canned"], ca.Commands()) })
	g.Go(func() error { return serve(ctx, addrs["answer"], answer) })
	fmt.Fprintf(stderr, "verify-only on %s, full slash command on %s, adapter with a canned answer on %s, answer only on %s\n",
		addrs["verify"], addrs["full"], addrs["canned"], addrs["answer"])
	return g.Wait()
}

// verifyOnly is the benchmark's baseline: what any Slack endpoint does
// before it can answer — read the body (1 MiB at most) and check its
// signature with slack-go — and then an empty 200, or, given a body, that
// body with its Content-Type. It reaches no bot.
func verifyOnly(secret, contentType string, answer []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		_, _ = sv.Write(body)
		if sv.Ensure() != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if answer == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(answer)
	})
}

// cannedBot always gives the same answer.
type cannedBot bot.Reply

func (c cannedBot) Handle(context.Context, bot.Request) bot.Reply { return bot.Reply(c) }

func serve(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving %s: %w", addr, err)
	}
	return ctx.Err()
}
