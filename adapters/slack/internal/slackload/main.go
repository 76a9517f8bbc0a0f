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
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

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
	answerAddr := fs.String("answer", "127.0.0.1:8104", "address of the answer-only server (verify, then write the full path's answer as is, for diagnosis)")
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
	// Verify, then send the full path's answer bytes with its header: no
	// decoding, no bot, no memo. What answering at all costs in net/http.
	req, err := signedRequest(*secret, *text, time.Now())
	if err != nil {
		return err
	}
	rec := httptest.NewRecorder()
	a.Commands().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
		return fmt.Errorf("the full path answered %d with %d bytes", rec.Code, rec.Body.Len())
	}
	answer := answerOnly(a.VerifyOnly(), rec.Header().Get("Content-Type"), rec.Body.Bytes())
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.Run(ctx) })
	g.Go(func() error { return ca.Run(ctx) })
	g.Go(func() error { return serve(ctx, *verifyAddr, a.VerifyOnly()) })
	g.Go(func() error { return serve(ctx, *fullAddr, a.Commands()) })
	g.Go(func() error { return serve(ctx, *cannedAddr, ca.Commands()) })
	g.Go(func() error { return serve(ctx, *answerAddr, answer) })
	fmt.Fprintf(os.Stderr, "verify-only on %s, full slash command on %s, adapter with a canned answer on %s, answer only on %s\n", *verifyAddr, *fullAddr, *cannedAddr, *answerAddr)
	return g.Wait()
}

// answerOnly runs verify and, where it would send its empty 200, sends
// body with the given Content-Type instead.
func answerOnly(verify http.Handler, contentType string, body []byte) http.Handler {
	ct := []string{contentType}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		verify.ServeHTTP(answerWriter{ResponseWriter: w, contentType: ct, body: body}, r)
	})
}

type answerWriter struct {
	http.ResponseWriter
	contentType []string
	body        []byte
}

func (w answerWriter) WriteHeader(code int) {
	if code != http.StatusOK {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.Header()["Content-Type"] = w.contentType
	_, _ = w.Write(w.body)
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

// signed is a slash command's form body as Slack sends it, with its
// signature headers for time at.
func signed(secret, text string, at time.Time) (body, ts, sig string) {
	body = url.Values{
		"token": {"legacy"}, "team_id": {"T0BENCH"}, "team_domain": {"bench"}, "channel_id": {"C0BENCH"},
		"channel_name": {"general"}, "user_id": {"U0BENCH"}, "user_name": {"parent"}, "command": {"/advisory"},
		"text": {text}, "api_app_id": {"A0BENCH"}, "response_url": {"https://hooks.slack.com/commands/T0BENCH/1/x"},
		"trigger_id": {"13345224609.738474920.8088930838d88f008e0"},
	}.Encode()
	ts = strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	return body, ts, "v0=" + hex.EncodeToString(m.Sum(nil))
}

func signedRequest(secret, text string, at time.Time) (*http.Request, error) {
	body, ts, sig := signed(secret, text, at)
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/slack/commands", strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("building the signed slash command: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	return req, nil
}

// writeLua writes a wrk script posting one slash command, signed now: the
// run must start within Slack's 5-minute window.
func writeLua(dir, secret, text string) error {
	body, ts, sig := signed(secret, text, time.Now())
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
