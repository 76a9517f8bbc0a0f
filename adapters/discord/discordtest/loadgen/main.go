// Command loadgen drives a Discord HTTP interactions endpoint (loadserver,
// or a peer implementation) as Discord does: every request is one
// interaction with an id of its own, signed at the moment it is sent with
// the load tools' fixed test key. wrk cannot do that (it replays one signed
// body, which an endpoint that answers each interaction once refuses).
//
//	loadgen -body command.json -c 64 -d 10s http://127.0.0.1:18080/discord/interactions
//	loadgen -key    # the public key (hex), for a peer's DISCORD_PUBLIC_KEY
//
// It prints a summary and a RESULT line for scripts (run.sh). See
// docs/BENCHMARKS.md, "Discord HTTP interactions".
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"advisorybot/adapters/discord/discordtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// testKey is the load tools' key pair (loadserver uses the same seed).
func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	bodyFile := fs.String("body", "adapters/discord/testdata/interactions/command_realistic.json", "interaction to send (its id is replaced in every request)")
	conns := fs.Int("c", 64, "connections (each sends one request at a time)")
	duration := fs.Duration("d", 10*time.Second, "how long to send")
	total := fs.Int("n", 0, "stop after this many requests (0: run for -d)")
	printKey := fs.Bool("key", false, "print the public key (hex) and exit")
	show := fs.Bool("show", false, "send one request, print the answer's body and exit (to give a peer the same answer)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	priv := testKey()
	if *printKey {
		_, err := fmt.Fprintln(out, hex.EncodeToString(priv.Public().(ed25519.PublicKey)))
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: loadgen [flags] URL")
	}
	url := fs.Arg(0)
	template, err := os.ReadFile(*bodyFile)
	if err != nil {
		return err
	}
	deliveries, err := discordtest.NewDeliveries(priv, bytes.TrimSpace(template))
	if err != nil {
		return err
	}
	if *show {
		_, body, h := deliveries.Next()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("answered %s", resp.Status)
		}
		_, err = io.Copy(out, resp.Body)
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}}
	defer client.CloseIdleConnections()

	var (
		sent    atomic.Int64
		mu      sync.Mutex
		lat     []time.Duration
		status  = map[int]int{}
		errs    int
		lastErr error
		wg      sync.WaitGroup
	)
	start := time.Now()
	for range *conns {
		wg.Go(func() {
			var mine []time.Duration
			codes := map[int]int{}
			var fails int
			var failure error
			for ctx.Err() == nil && (*total == 0 || sent.Add(1) <= int64(*total)) {
				_, body, h := deliveries.Next()
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				if err != nil {
					failure = err
					fails++
					break
				}
				req.Header = h
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if ctx.Err() != nil {
					break // cut off by the end of the run: not counted
				}
				if err != nil {
					failure = err
					fails++
					continue
				}
				mine = append(mine, time.Since(t0))
				codes[resp.StatusCode]++
			}
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			for c, n := range codes {
				status[c] += n
			}
			errs += fails
			if failure != nil {
				lastErr = failure
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		return fmt.Errorf("no request completed (%d errors; last: %v)", errs, lastErr)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	non2xx := 0
	for c, n := range status {
		if c < 200 || c > 299 {
			non2xx += n
		}
	}
	rps := float64(len(lat)) / elapsed.Seconds()
	fmt.Fprintf(out, "%d requests in %.2fs, %d connections: %.1f req/s\n", len(lat), elapsed.Seconds(), *conns, rps)
	fmt.Fprintf(out, "latency p50 %v  p90 %v  p99 %v  max %v\n", pct(0.50), pct(0.90), pct(0.99), lat[len(lat)-1])
	fmt.Fprintf(out, "status %v; %d errors", status, errs)
	if lastErr != nil {
		fmt.Fprintf(out, " (last: %v)", lastErr)
	}
	fmt.Fprintln(out)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Fprintf(out, "RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n", len(lat), rps, ms(pct(0.50)), ms(pct(0.99)), non2xx, errs)
	return nil
}
