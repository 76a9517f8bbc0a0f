package redistest

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// recorder stands in for a test to see whether Start skips or fails it.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestMissingServer(t *testing.T) {
	for _, tc := range []struct {
		ci       string
		wantFail bool
	}{{"true", true}, {"", false}, {"false", false}} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir()) // no redis-server here
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Start(r)
			}()
			<-done
			if failed := r.fatal != ""; failed != tc.wantFail || (!failed && r.skip == "") {
				t.Fatalf("fatal %q, skip %q; want failure %v", r.fatal, r.skip, tc.wantFail)
			}
		})
	}
}

func TestStopRestartFreeze(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := ping(s.Addr); err == nil {
		t.Fatal("PING answered after Stop")
	}
	s.Restart()
	if err := ping(s.Addr); err != nil {
		t.Fatalf("after Restart on the same port: %v", err)
	}
	s.Freeze()
	start := time.Now()
	if err := ping(s.Addr); err == nil {
		t.Fatal("a frozen server answered")
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Fatal("a frozen server refused rather than hung")
	}
	s.Thaw()
	if err := ping(s.Addr); err != nil {
		t.Fatalf("after Thaw: %v", err)
	}
}

func TestTopologies(t *testing.T) {
	t.Run("cluster", func(t *testing.T) {
		c := StartCluster(t)
		if info, err := Command(c.Addr, "CLUSTER INFO"); err != nil || !strings.Contains(info, "cluster_slots_assigned:16384") {
			t.Fatalf("CLUSTER INFO: %q %v", info, err)
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		m, s := StartSentinel(t)
		reply, err := Command(s.Addr, "SENTINEL get-master-addr-by-name mymaster")
		if err != nil || reply != "127.0.0.1\n"+strconv.Itoa(m.port) {
			t.Fatalf("master address: %q %v", reply, err)
		}
	})
}
