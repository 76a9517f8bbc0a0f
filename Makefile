# One build recipe, shared with the Dockerfile: keep the two identical.
BIN        ?= bin/advisorybot
GOFLAGS_BUILD = -trimpath -ldflags="-s -w"
# An execution count, not a duration: Go 1.26's fuzz coordinator can fail a
# clean run with "context deadline exceeded" when a duration ends while a
# worker is busy on a loaded machine (go.dev/issue/75804, fixed in Go 1.27).
# 50,000 executions take 1-5 s per target here.
FUZZTIME   ?= 50000x
STATICCHECK ?= $(shell command -v staticcheck || echo $(shell go env GOPATH)/bin/staticcheck)
GOVULNCHECK ?= $(shell command -v govulncheck || echo $(shell go env GOPATH)/bin/govulncheck)
GOVULNCHECK_VERSION = v1.9.0
# Extra govulncheck flags, e.g. -db file:///path/to/a/local/copy
GOVULNCHECK_FLAGS ?=

.PHONY: all build test lint vet vulncheck dockerfile-sync fuzz bench run

all: build

BUILD_CMD = CGO_ENABLED=0 go build $(GOFLAGS_BUILD) -o $(BIN) ./cmd/advisorybot

build:
	$(BUILD_CMD)

# The whole test suite: formatting, vet, staticcheck, race-enabled tests, short fuzzing.
test: lint vet
	go test -race -count=1 ./...
	$(MAKE) fuzz

lint: dockerfile-sync
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	@test -x "$(STATICCHECK)" || go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$(STATICCHECK) ./...
	@$(MAKE) --no-print-directory vulncheck

# Known vulnerabilities in the code the build can reach (go.dev/security/vuln).
# govulncheck needs its database, online. The check is skipped, with a
# one-line notice, only when govulncheck itself reports that it could not
# fetch the database for a network reason (DNS, dial, timeout, proxy), as on
# a machine without internet. Findings (exit 3) and every other failure fail
# the build. A missing govulncheck is installed at a pinned version, like
# staticcheck; if that fails, lint fails: a machine without the tool must
# never pass as a machine without vulnerabilities.
vulncheck:
	@test -x "$(GOVULNCHECK)" || go install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	@out=$$("$(GOVULNCHECK)" $(GOVULNCHECK_FLAGS) ./... 2>&1); rc=$$?; \
	  if [ $$rc -eq 0 ]; then echo "govulncheck: no known vulnerabilities reached"; exit 0; fi; \
	  cause=$$(printf '%s\n' "$$out" | grep -m1 '^govulncheck: fetching vulnerabilities: ' | \
	    grep -E 'dial tcp|no such host|connection refused|network is unreachable|i/o timeout|TLS handshake timeout|proxyconnect|Client.Timeout exceeded'); \
	  if [ $$rc -eq 1 ] && [ -n "$$cause" ]; then \
	    echo "govulncheck skipped: its vulnerability database cannot be reached ($${cause#govulncheck: fetching vulnerabilities: })"; exit 0; fi; \
	  printf '%s\n' "$$out"; exit 1

vet:
	go vet ./...

# The Dockerfile cannot be built here (no Docker engine), so at least keep its
# build step identical to this Makefile's.
dockerfile-sync:
	@grep -qF 'RUN $(BUILD_CMD)' Dockerfile || { echo "Dockerfile build step differs from: $(BUILD_CMD)"; exit 1; }

# Runs every fuzz target briefly; each target runs alone, as go test requires.
fuzz:
	@for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  pkg=./$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$t"; \
	    go test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

bench:
	go test -run='^$$' -bench=. -benchmem ./...

run:
	go run ./cmd/advisorybot ask "Is Ballerina family-safe?"
