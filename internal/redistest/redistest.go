// Package redistest runs a throwaway redis-server for tests, on a free
// port, with persistence off. It can stop, freeze and restart the server
// mid-test to exercise outages.
//
// When redis-server is not installed the test is skipped, except under CI
// (CI=true), where it fails: CI must run the Redis tests.
package redistest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a redis-server process owned by one test.
type Server struct {
	// Addr is host:port, stable across Restart.
	Addr string

	t    testing.TB
	bin  string
	port int
	dir  string
	conf string   // a config file to start with (sentinel), or ""
	args []string // extra arguments (cluster, sentinel)

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Start starts redis-server on a free port and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := newServer(t)
	s.start()
	return s
}

// StartCluster starts a one-node Redis Cluster owning every hash slot, so
// that a Cluster client works against it exactly as against a real cluster.
func StartCluster(t testing.TB) *Server {
	t.Helper()
	s := newServer(t)
	s.args = []string{"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(s.dir, "nodes.conf")}
	s.start()
	if reply, err := Command(s.Addr, "CLUSTER ADDSLOTSRANGE 0 16383"); err != nil || reply != "+OK" {
		t.Fatalf("assigning slots: %q %v", reply, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := Command(s.Addr, "CLUSTER INFO")
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("cluster did not become ready: %q %v", info, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// StartSentinel starts a master and a Sentinel monitoring it as "mymaster";
// it returns the Sentinel, whose Addr is what clients are given.
func StartSentinel(t testing.TB) (master, sentinel *Server) {
	t.Helper()
	master = Start(t)
	sentinel = newServer(t)
	conf := filepath.Join(sentinel.dir, "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 %d 1\nsentinel down-after-milliseconds mymaster 60000\n", sentinel.port, master.port)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatalf("writing sentinel.conf: %v", err)
	}
	sentinel.conf, sentinel.args = conf, []string{"--sentinel"}
	sentinel.start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		reply, err := Command(sentinel.Addr, "SENTINEL get-master-addr-by-name mymaster")
		if err == nil && strings.Contains(reply, strconv.Itoa(master.port)) {
			return master, sentinel
		}
		if time.Now().After(deadline) {
			t.Fatalf("sentinel does not know the master: %q %v", reply, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newServer(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is not installed; CI must run the Redis tests (.ci/run installs it): %v", err)
		}
		t.Skipf("redis-server is not installed (set CI=true to make this a failure): %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("finding a free port for redis-server: %v", err)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), t: t, bin: bin, port: port, dir: t.TempDir()}
	t.Cleanup(s.Stop)
	return s
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	var args []string
	if s.conf != "" {
		args = append(args, s.conf) // the config file comes first
	}
	args = append(args, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir,
		"--loglevel", "warning", "--daemonize", "no")
	cmd := exec.Command(s.bin, append(args, s.args...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := ping(s.Addr); err == nil {
			break
		} else if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			s.t.Fatalf("redis-server on %s did not answer PING: %v\n%s", s.Addr, err, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.cmd = cmd
}

// ping sends PING and expects PONG, without a Redis client.
func ping(addr string) error {
	reply, err := Command(addr, "PING")
	if err != nil {
		return err
	}
	if reply != "+PONG" {
		return fmt.Errorf("PING answered %q", reply)
	}
	return nil
}

// Command sends one inline command and returns the reply: a status or error
// line as is ("+OK"), a bulk string's content, or an array's lines joined.
// It is enough for setting servers up, without a Redis client.
func Command(addr, line string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte(line + "\r\n")); err != nil {
		return "", err
	}
	return readReply(bufio.NewReader(c))
}

func readReply(r *bufio.Reader) (string, error) {
	head, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	head = strings.TrimRight(head, "\r\n")
	if head == "" {
		return "", fmt.Errorf("empty reply")
	}
	switch head[0] {
	case '$':
		n, err := strconv.Atoi(head[1:])
		if err != nil || n < 0 {
			return "", err
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(r, b); err != nil {
			return "", err
		}
		return string(b[:n]), nil
	case '*':
		n, err := strconv.Atoi(head[1:])
		if err != nil {
			return "", err
		}
		parts := make([]string, 0, max(n, 0))
		for range n {
			p, err := readReply(r)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "\n"), nil
	}
	return head, nil
}

// Stop kills the server (as a crash would); its data is gone.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // in case it is frozen
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts a fresh server on the same port after Stop.
func (s *Server) Restart() {
	s.t.Helper()
	s.start()
}

// Freeze suspends the server (SIGSTOP): connections stay open but nothing
// is answered, as with a Redis that is overloaded or partitioned away.
func (s *Server) Freeze() { s.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server.
func (s *Server) Thaw() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("redis-server is not running")
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("signalling redis-server: %v", err)
	}
}
