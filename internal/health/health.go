// Package health serves the liveness and readiness probes: /healthz says
// the process is alive, /readyz whether every part it needs is ready,
// with one line per part in the body so an operator sees which is not.
package health

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Check reports whether one part is ready, with a short state for the
// body ("connected", "unavailable: answering from memory"). It is given the
// probe's context and must answer within it.
type Check func(ctx context.Context) (ready bool, state string)

// Probes holds the readiness checks. The zero value is ready to use; Add
// the checks before serving.
type Probes struct {
	mu       sync.Mutex
	names    []string
	checks   []Check
	stopping atomic.Bool
}

// Timeout bounds one readiness probe, all checks together: within the
// usual probe timeouts (Docker's, Kubernetes's, a load balancer's), of a
// few seconds.
const Timeout = 2 * time.Second

// Add adds a check under name, shown in the body in the order added.
func (p *Probes) Add(name string, c Check) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names = append(p.names, name)
	p.checks = append(p.checks, c)
}

// Stopping makes /readyz answer "not ready" from now on: the process is
// draining, and should be sent nothing new.
func (p *Probes) Stopping() { p.stopping.Store(true) }

// Live serves /healthz: 200 "ok" and detail() while the process can answer
// HTTP at all. It checks nothing else, so that a restart is never asked
// for what a restart cannot fix (Redis down, a platform unreachable).
func Live(detail func() string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "ok %s\n", detail())
	})
}

// Ready serves /readyz: 200 when every check is ready, else 503; the body
// starts with "ready" or "not ready", then one "name: state" line per check.
func (p *Probes) Ready() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), Timeout)
		defer cancel()
		ready, body := p.Run(ctx)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_, _ = w.Write([]byte(body))
	})
}

// Run runs every check and returns whether all are ready, and the body.
func (p *Probes) Run(ctx context.Context) (bool, string) {
	p.mu.Lock()
	names, checks := p.names, p.checks
	p.mu.Unlock()
	ready := true
	var lines strings.Builder
	if p.stopping.Load() {
		ready = false
		lines.WriteString("stopping: finishing the answers in flight\n")
	}
	for i, c := range checks {
		ok, state := c(ctx)
		ready = ready && ok
		fmt.Fprintf(&lines, "%s: %s\n", names[i], state)
	}
	head := "ready\n"
	if !ready {
		head = "not ready\n"
	}
	return ready, head + lines.String()
}

// Flag is a Check of a state kept elsewhere: ready while up() is true.
func Flag(up func() bool, yes, no string) Check {
	return func(context.Context) (bool, string) {
		if up() {
			return true, yes
		}
		return false, no
	}
}
