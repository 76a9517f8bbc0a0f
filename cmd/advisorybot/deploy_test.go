package main

import (
	"context"
	"go/scanner"
	"go/token"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// composeFile is deploy/compose.yaml, the fields the test checks.
type composeFile struct {
	Services map[string]struct {
		Image   string   `yaml:"image"`
		Command []string `yaml:"command"`
		Build   *struct {
			Context    string `yaml:"context"`
			Dockerfile string `yaml:"dockerfile"`
		} `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test    []string `yaml:"test"`
			Timeout string   `yaml:"timeout"`
		} `yaml:"healthcheck"`
		StopGracePeriod string `yaml:"stop_grace_period"`
	} `yaml:"services"`
}

// envNames lists every environment variable name the module's code names:
// upper-case string literals in its non-test Go files.
func envNames(t *testing.T) map[string]bool {
	t.Helper()
	name := regexp.MustCompile(`^"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"$`)
	names := map[string]bool{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				return nil
			}
			if tok == token.STRING && name.MatchString(lit) {
				names[strings.Trim(lit, `"`)] = true
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func port(t *testing.T, hostport string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatalf("%q: %v", hostport, err)
	}
	return p
}

// TestComposeAgreesWithTheCode parses deploy/compose.yaml and checks what
// it names against the code: the services, the image the Dockerfile
// builds, the subcommands, the variables, the ports and the probes.
func TestComposeAgreesWithTheCode(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("deploy/compose.yaml: %v", err)
	}
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dockerfile), `ENTRYPOINT ["/advisorybot"]`) {
		t.Fatal(`the Dockerfile's ENTRYPOINT is no longer ["/advisorybot"]: update compose.yaml's healthcheck and this test`)
	}
	known := envNames(t)

	redis, ok := c.Services["redis"]
	if !ok || !strings.HasPrefix(redis.Image, "redis:") || !slices.Contains(redis.Command, "--appendonly") ||
		redis.Command[slices.Index(redis.Command, "--appendonly")+1] != "yes" {
		t.Errorf("want a redis service with the append-only file on; got %+v", redis)
	}
	var bots []string
	for name := range c.Services {
		if strings.HasPrefix(name, "bot-") {
			bots = append(bots, name)
		}
	}
	if len(bots) < 2 {
		t.Fatalf("want two bot replicas; services are %v", c.Services)
	}
	hostPorts := map[string]bool{}
	for _, name := range bots {
		s := c.Services[name]
		t.Run(name, func(t *testing.T) {
			if s.Build == nil || s.Build.Dockerfile != "Dockerfile" || filepath.Clean(filepath.Join("../../deploy", s.Build.Context)) != "../.." {
				t.Errorf("build %+v: want the repository's Dockerfile", s.Build)
			}
			if len(s.Command) != 1 || s.Command[0] != "serve" {
				t.Errorf("command %v: want [serve]", s.Command)
			}
			// The replicas are in HTTP mode and share Redis.
			for _, v := range []string{"ADDR", "METRICS_ADDR", "REDIS_URL", "DISCORD_PUBLIC_KEY", "SLACK_SIGNING_SECRET"} {
				if _, ok := s.Environment[v]; !ok {
					t.Errorf("no %s", v)
				}
			}
			for v := range s.Environment {
				if !known[v] {
					t.Errorf("environment sets %s, which no code reads", v)
				}
			}
			for _, v := range []string{"DISCORD_TOKEN", "SLACK_APP_TOKEN"} {
				if _, ok := s.Environment[v]; ok {
					t.Errorf("%s would open a gateway or Socket Mode connection per replica; the replicas are in HTTP mode", v)
				}
			}
			if u, err := url.Parse(s.Environment["REDIS_URL"]); err != nil || u.Hostname() != "redis" {
				t.Errorf("REDIS_URL %q: want the redis service", s.Environment["REDIS_URL"])
			}
			if s.DependsOn["redis"].Condition != "service_healthy" {
				t.Errorf("depends_on %+v: want redis healthy first", s.DependsOn)
			}
			addr, opsAddr := s.Environment["ADDR"], s.Environment["METRICS_ADDR"]
			e, _ := testEnv(map[string]string{"ADDR": addr, "METRICS_ADDR": opsAddr})
			if _, _, err := e.listenAddrs(); err != nil {
				t.Errorf("serve refuses ADDR=%q METRICS_ADDR=%q: %v", addr, opsAddr, err)
			}
			if len(s.Ports) != 1 {
				t.Fatalf("ports %v: want the one HTTP port", s.Ports)
			}
			host, container, _ := strings.Cut(s.Ports[0], ":")
			if container != port(t, addr) {
				t.Errorf("port %q does not publish ADDR's port %s", s.Ports[0], port(t, addr))
			}
			if hostPorts[host] {
				t.Errorf("host port %s published twice", host)
			}
			hostPorts[host] = true

			hc := s.Healthcheck
			if hc == nil || len(hc.Test) != 4 || hc.Test[0] != "CMD" || hc.Test[1] != "/advisorybot" || hc.Test[2] != "probe" {
				t.Fatalf("healthcheck %+v: want [CMD /advisorybot probe URL]", hc)
			}
			u, err := url.Parse(hc.Test[3])
			if err != nil || u.Hostname() != "127.0.0.1" || u.Port() != port(t, opsAddr) || u.Path != "/readyz" {
				t.Errorf("healthcheck URL %q: want http://127.0.0.1:<METRICS_ADDR's port>/readyz", hc.Test[3])
			}
			if d, err := time.ParseDuration(hc.Timeout); err != nil || d <= defaultProbeTimeout {
				t.Errorf("healthcheck timeout %q: want more than the probe's own %v", hc.Timeout, defaultProbeTimeout)
			}
			if d, err := time.ParseDuration(s.StopGracePeriod); err != nil || d <= shutdownTimeout {
				t.Errorf("stop_grace_period %q: want more than serve's drain of %v", s.StopGracePeriod, shutdownTimeout)
			}
		})
	}

	// The healthcheck's command is the binary's: probe is a subcommand.
	if code, _, stderr := runCLI(t, "", nil, "probe"); code != 2 || strings.Contains(stderr, "unknown command") {
		t.Errorf("`advisorybot probe` with no URL: exit %d, %q; want its usage", code, stderr)
	}

	// Where Docker exists, it must accept the file too.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if exec.CommandContext(ctx, "docker", "compose", "version").Run() != nil {
		t.Log("no docker compose here: `docker compose config` not run")
		return
	}
	out, err := exec.CommandContext(ctx, "docker", "compose", "-f", "../../deploy/compose.yaml", "config", "--quiet").CombinedOutput()
	if err != nil {
		t.Errorf("docker compose config: %v\n%s", err, out)
	}
}
