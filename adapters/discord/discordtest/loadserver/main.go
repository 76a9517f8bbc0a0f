// Command loadserver serves the Discord HTTP interactions endpoint for load
// tests: -mode verify is the signature-check-only baseline, -mode full the
// real adapter and bot (in-memory state, as `advisorybot serve`). Drive it
// with loadgen (../loadgen), which signs every request afresh.
// The key pair comes from a fixed seed: this is a test tool only.
// See docs/BENCHMARKS.md, "Discord HTTP interactions".
package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"advisorybot/adapters/discord"
	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/data"
	"advisorybot/internal/gcpace"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadserver:", err)
		os.Exit(1)
	}
}

func run() error {
	mode := flag.String("mode", "full", "verify (signature check only) or full (adapter + bot)")
	addr := flag.String("addr", "127.0.0.1:18080", "listen address")
	dir := flag.String("data", "", "review directory (default: embedded catalog)")
	profile := flag.String("cpuprofile", "", "write a CPU profile here until interrupted")
	flag.Parse()
	gcpace.Apply(os.Getenv("GOGC")) // as advisorybot serve runs, for both modes
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-sig
			pprof.StopCPUProfile()
			_ = f.Close()
			os.Exit(0)
		}()
	}
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	if *mode != "verify" && *mode != "full" {
		return fmt.Errorf("unknown -mode %q", *mode)
	}
	// Both modes load the bot, so they hold the same heap.
	fsys := data.Reviews()
	if *dir != "" {
		fsys = os.DirFS(*dir)
	}
	live, err := catalog.NewLive(fsys)
	if err != nil {
		return err
	}
	st := memory.New()
	// The limiter runs, with limits no load test reaches: one user
	// sending 20k requests a second would otherwise be told to wait.
	b := bot.New(bot.Config{Catalog: live, Gate: st, Settings: st,
		Limits: bot.Limits{UserPerMinute: 1 << 30, CommunityPerMinute: 1 << 30}})
	s, err := discord.NewSession("")
	if err != nil {
		return err
	}
	dh, err := discord.NewHandler(discord.Config{Bot: b, Sender: discord.SessionSender{S: s}})
	if err != nil {
		return err
	}
	endpoint, err := discord.NewHTTPHandler(hex.EncodeToString(pub), dh, slog.Default(), discord.DefaultMaxBody)
	if err != nil {
		return err
	}
	var h http.Handler = endpoint
	if *mode == "verify" {
		h = verifyOnly(pub, discord.DefaultMaxBody)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /discord/interactions", h)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(os.Stderr, "loadserver: %s on http://%s/discord/interactions\n", *mode, *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// verifyOnly is the baseline: the checks Discord asks of every endpoint
// (a timestamp within five minutes, an Ed25519 signature over timestamp +
// body, a bounded body), answered as a PING is.
func verifyOnly(pub ed25519.PublicKey, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts := r.Header.Get("X-Signature-Timestamp")
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		sec, tsErr := strconv.ParseInt(ts, 10, 64)
		if err != nil || tsErr != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if !ed25519.Verify(pub, append([]byte(ts), body...), sig) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"type":1}`))
	})
}
