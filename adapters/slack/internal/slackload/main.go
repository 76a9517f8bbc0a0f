// Command slackload serves the two handlers the Slack HTTP benchmark
// compares, side by side in one process: a handler that only verifies the
// signature, and the adapter's full slash-command path on the real bot. It
// also writes wrk Lua scripts posting a correctly signed slash command.
// See docs/BENCHMARKS.md, "Slack HTTP slash command".
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/bot"
	"advisorybot/catalog"
	"advisorybot/internal/gcpace"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "slackload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("slackload", flag.ContinueOnError)
	verifyAddr := fs.String("verify", "127.0.0.1:8101", "address of the verify-only server")
	fullAddr := fs.String("full", "127.0.0.1:8102", "address of the full slash-command server")
	cannedAddr := fs.String("canned", "127.0.0.1:8103", "address of the adapter-only server (the bot's answer computed once, for diagnosis)")
	data := fs.String("data", "testdata/reviews", "review directory")
	secret := fs.String("secret", "8f742231b10e8888abcd99yyyzzz85a5", "signing secret (a test value)")
	text := fs.String("text", "Ballerina 2023", "slash command text")
	luaDir := fs.String("lua", "", "write slash.lua (signed request for wrk) into this directory and exit")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *luaDir != "" {
		return writeLua(*luaDir, *secret, *text)
	}
	gcpace.Apply(os.Getenv("GOGC")) // as advisorybot serve runs, for all three targets
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
	live, err := catalog.NewLive(os.DirFS(*data))
	if err != nil {
		return fmt.Errorf("loading reviews: %w", err)
	}
	// Conversations, de-duplication and settings in memory as `serve` wires
	// them; no rate limiter, or one user at 60k req/s would be refused
	// (a cheaper path than answering).
	st := memory.New()
	b := bot.New(bot.Config{Catalog: live, Conversations: st, Deduper: st, Settings: st})
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := slackadapter.New(slackadapter.Config{Bot: b, SigningSecret: *secret, Logger: log})
	if err != nil {
		return err
	}
	// The adapter alone: the same path with the bot's answer to the text
	// computed once. It shows what the adapter costs apart from the bot.
	canned := cannedBot(b.Handle(ctx, bot.Request{Platform: slackadapter.Platform, Kind: bot.KindCommand, Text: *text}))
	ca, err := slackadapter.New(slackadapter.Config{Bot: canned, SigningSecret: *secret, Logger: log})
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.Run(ctx) })
	g.Go(func() error { return ca.Run(ctx) })
	g.Go(func() error { return serve(ctx, *verifyAddr, a.VerifyOnly()) })
	g.Go(func() error { return serve(ctx, *fullAddr, a.Commands()) })
	g.Go(func() error { return serve(ctx, *cannedAddr, ca.Commands()) })
	fmt.Fprintf(os.Stderr, "verify-only on %s, full slash command on %s, adapter with a canned answer on %s\n", *verifyAddr, *fullAddr, *cannedAddr)
	return g.Wait()
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

// writeLua writes a wrk script posting one slash command, signed now: the
// run must start within Slack's 5-minute window.
func writeLua(dir, secret, text string) error {
	body := url.Values{
		"token": {"legacy"}, "team_id": {"T0BENCH"}, "team_domain": {"bench"}, "channel_id": {"C0BENCH"},
		"channel_name": {"general"}, "user_id": {"U0BENCH"}, "user_name": {"parent"}, "command": {"/advisory"},
		"text": {text}, "api_app_id": {"A0BENCH"}, "response_url": {"https://hooks.slack.com/commands/T0BENCH/1/x"},
		"trigger_id": {"13345224609.738474920.8088930838d88f008e0"},
	}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	sig := "v0=" + hex.EncodeToString(m.Sum(nil))
	lua := fmt.Sprintf(`-- signed slash command for wrk; generated by slackload at %s
wrk.method = "POST"
wrk.body = %q
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = %q
wrk.headers["X-Slack-Signature"] = %q
`, time.Now().UTC().Format(time.RFC3339), body, ts, sig)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "slash.lua"), []byte(lua), 0o644)
}
