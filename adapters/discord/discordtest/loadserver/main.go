// Command loadserver serves the Discord HTTP interactions endpoint for load
// tests: -mode verify is the signature-check-only baseline, -mode full the
// real adapter and bot (in-memory state, as `advisorybot serve`). -lua
// FILE prints a wrk script that POSTs FILE with pre-signed headers.
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
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"advisorybot/adapters/discord"
	"advisorybot/adapters/discord/discordtest"
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
	lua := flag.String("lua", "", "print a wrk script that POSTs this pre-signed body, and exit")
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
	if *lua != "" {
		body, err := os.ReadFile(*lua)
		if err != nil {
			return err
		}
		body = bytes.TrimSpace(body)
		h := discordtest.Sign(priv, strconv.FormatInt(time.Now().Unix(), 10), body)
		fmt.Printf("wrk.method = \"POST\"\nwrk.body = %s\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"X-Signature-Ed25519\"] = %q\nwrk.headers[\"X-Signature-Timestamp\"] = %q\n",
			luaString(body), h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp"))
		return nil
	}
	if *mode != "verify" && *mode != "full" {
		return fmt.Errorf("unknown -mode %q", *mode)
	}
	// Both modes build the same endpoint, so verify-only reads and checks
	// requests exactly as the full path does (and holds the same heap).
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
		h = endpoint.VerifyOnly()
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

// luaString quotes s as a Lua long-bracket-free string literal.
func luaString(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, "\\%03d", c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
