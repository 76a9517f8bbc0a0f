package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// signCommand is a slash command's form body as Slack sends it, with the
// signature headers' values for time at.
func signCommand(secret, text, triggerID string, at time.Time) (body, ts, sig string) {
	body = commandPrefix(text) + url.QueryEscape(triggerID)
	ts = strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(m, "v0:"+ts+":"+body)
	return body, ts, "v0=" + hex.EncodeToString(m.Sum(nil))
}

// commandPrefix is a slash command's form body up to its trigger_id's value.
func commandPrefix(text string) string {
	return url.Values{
		"token": {"legacy"}, "team_id": {"T0BENCH"}, "team_domain": {"bench"}, "channel_id": {"C0BENCH"},
		"channel_name": {"general"}, "user_id": {"U0BENCH"}, "user_name": {"parent"}, "command": {"/advisory"},
		"text": {text}, "api_app_id": {"A0BENCH"}, "response_url": {"https://hooks.slack.com/commands/T0BENCH/1/x"},
	}.Encode() + "&trigger_id="
}

func setHeaders(h http.Header, ts, sig string) {
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sig)
}

type loadConfig struct {
	URL      string
	Secret   string
	Text     string
	Conns    int
	Duration time.Duration
	// Requests, when positive, ends the run after that many requests.
	Requests int
}

type loadResult struct {
	requests  int
	non2xx    int
	elapsed   time.Duration
	latencies []time.Duration // sorted
	clientCPU time.Duration   // the generator's own CPU time
}

// write prints the result as "key=value" pairs on one line, for bench.sh.
func (r loadResult) write(w io.Writer) {
	pct := func(p float64) string {
		if len(r.latencies) == 0 {
			return "0"
		}
		i := min(int(p*float64(len(r.latencies))), len(r.latencies)-1)
		return strconv.FormatFloat(float64(r.latencies[i])/float64(time.Millisecond), 'f', 3, 64)
	}
	rps := float64(r.requests) / r.elapsed.Seconds()
	cpu := 0.0
	if r.requests > 0 {
		cpu = float64(r.clientCPU) / float64(time.Microsecond) / float64(r.requests)
	}
	fmt.Fprintf(w, "requests=%d rps=%.0f p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s non2xx=%d client_cpu_us=%.2f\n",
		r.requests, rps, pct(0.50), pct(0.90), pct(0.99), pct(1), r.non2xx, cpu)
}

// generate posts slash commands over cfg.Conns keep-alive connections, one
// request at a time on each (a closed loop, as wrk runs), each signed
// afresh with the current time and a unique trigger_id. It speaks HTTP/1.1
// on the socket itself: net/http's client would cost the generator more
// than the server spends on a request.
func generate(ctx context.Context, cfg loadConfig) (loadResult, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return loadResult{}, fmt.Errorf("load URL %q: want http://host:port/path", cfg.URL)
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 1
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	run := fmt.Sprintf("%x", time.Now().UnixNano()) // trigger_ids differ between runs too
	var (
		sent     atomic.Int64
		mu       sync.Mutex
		res      loadResult
		firstErr error
		wg       sync.WaitGroup
	)
	cpu0 := cpuTime()
	start := time.Now()
	for c := range cfg.Conns {
		wg.Go(func() {
			lat, non2xx, err := connLoop(ctx, cfg, u, fmt.Sprintf("%s.%d", run, c), func() bool {
				return cfg.Requests <= 0 || sent.Add(1) <= int64(cfg.Requests)
			})
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.non2xx += non2xx
			if err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.clientCPU = cpuTime() - cpu0
	res.requests = len(res.latencies)
	slices.Sort(res.latencies)
	if firstErr != nil {
		return res, firstErr
	}
	return res, nil
}

// connLoop runs one connection until ctx ends or more says no.
func connLoop(ctx context.Context, cfg loadConfig, u *url.URL, conn string, more func() bool) (lat []time.Duration, non2xx int, err error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, 0, fmt.Errorf("connecting to %s: %w", u.Host, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Now()) })
	defer stop()
	br := bufio.NewReader(c)
	bw := bufio.NewWriter(c)
	prefix := commandPrefix(cfg.Text)
	mac := hmac.New(sha256.New, []byte(cfg.Secret))
	var body, line, sum []byte
	sig := make([]byte, hex.EncodedLen(sha256.Size))
	path := u.RequestURI()
	for n := 0; more(); n++ {
		// A trigger_id shaped like Slack's: unique per request.
		body = append(append(body[:0], prefix...), conn...)
		body = append(body, "%2E"...)
		body = strconv.AppendInt(body, int64(n), 10)
		line = strconv.AppendInt(line[:0], time.Now().Unix(), 10)
		mac.Reset()
		_, _ = mac.Write([]byte("v0:"))
		_, _ = mac.Write(line)
		_, _ = mac.Write([]byte(":"))
		_, _ = mac.Write(body)
		sum = mac.Sum(sum[:0])
		hex.Encode(sig, sum)

		begin := time.Now()
		fmt.Fprintf(bw, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nX-Slack-Request-Timestamp: %s\r\nX-Slack-Signature: v0=%s\r\n\r\n",
			path, u.Host, len(body), line, sig)
		_, _ = bw.Write(body)
		if err := bw.Flush(); err != nil {
			return lat, non2xx, ended(ctx, err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return lat, non2xx, ended(ctx, err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return lat, non2xx, ended(ctx, err)
		}
		lat = append(lat, time.Since(begin))
		if resp.StatusCode/100 != 2 {
			non2xx++
		}
		if resp.Close {
			return lat, non2xx, errors.New("the server closed the connection")
		}
	}
	return lat, non2xx, nil
}

// ended is err unless the run's time is up, which cuts the last request.
func ended(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// showAnswer sends one signed command to url and copies the answer's body to out.
func showAnswer(ctx context.Context, out io.Writer, url, secret, text string) error {
	body, ts, sig := signCommand(secret, text, fmt.Sprintf("show.%x", time.Now().UnixNano()), time.Now())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	setHeaders(req.Header, ts, sig)
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
