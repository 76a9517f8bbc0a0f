# One build recipe, shared with the Dockerfile: keep the two identical.
BIN        ?= bin/advisorybot
GOFLAGS_BUILD = -trimpath -ldflags="-s -w"
# An execution count, not a duration: Go 1.26's fuzz coordinator can fail a
# clean run with "context deadline exceeded" when a duration ends while a
# worker is busy on a loaded machine (go.dev/issue/75804, fixed in Go 1.27).
# 50,000 executions take 1-5 s per target here.
FUZZTIME   ?= 50000x
STATICCHECK ?= $(shell command -v staticcheck || echo $(shell go env GOPATH)/bin/staticcheck)

.PHONY: all build test lint vet dockerfile-sync fuzz bench run

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
