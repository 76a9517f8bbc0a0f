#!/bin/sh
# Load test of the Discord HTTP interactions endpoint: the verify-only
# baseline and the full path, one after the other in one run, each server
# pinned to CPU 0 with GOMAXPROCS=1 and wrk pinned to CPU 1.
# Usage (from the repo root): adapters/discord/discordtest/loadserver/run.sh [body.json ...]
set -eu
cd "$(dirname "$0")/../../../.."
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
ADDR=127.0.0.1:18080
BIN=$(mktemp -d)/loadserver
go build -o "$BIN" ./adapters/discord/discordtest/loadserver
[ $# -gt 0 ] || set -- adapters/discord/testdata/interactions/command_realistic.json
for body in "$@"; do
	"$BIN" -lua "$body" > "$BIN.lua"
	for mode in verify full; do
		GOMAXPROCS=1 taskset -c 0 "$BIN" -mode "$mode" -addr "$ADDR" -data testdata/reviews 2>/dev/null &
		pid=$!
		sleep 1
		echo "=== $mode $(basename "$body") ($CONNS connections, $DURATION)"
		# One request first, to show what is being measured.
		taskset -c 1 wrk -t1 -c1 -d1s -s "$BIN.lua" "http://$ADDR/discord/interactions" >/dev/null
		taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s "$BIN.lua" "http://$ADDR/discord/interactions"
		kill "$pid"
		wait "$pid" 2>/dev/null || true
	done
done
