#!/bin/sh
# Load test of the Discord HTTP interactions endpoint: the verify-only
# baseline and the full path, alternating in one run, each server pinned to
# CPU 0 with GOMAXPROCS=1 and wrk pinned to CPU 1, 64 connections.
# Usage (from anywhere): adapters/discord/discordtest/loadserver/run.sh [body.json ...]
# Env: DURATION (default 15s), CONNS (64), ROUNDS (2).
set -eu
cd "$(dirname "$0")/../../../.."
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-2}
ADDR=127.0.0.1:18080
BIN=$(mktemp -d)/loadserver
go build -o "$BIN" ./adapters/discord/discordtest/loadserver
[ $# -gt 0 ] || set -- adapters/discord/testdata/interactions/command_realistic.json
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
for body in "$@"; do
	"$BIN" -lua "$body" > "$BIN.lua"
	round=1
	while [ "$round" -le "$ROUNDS" ]; do
		for mode in verify full; do
			GOMAXPROCS=1 taskset -c 0 "$BIN" -mode "$mode" -addr "$ADDR" -data testdata/reviews 2>/dev/null &
			pid=$!
			sleep 1
			# Warm up (and check the answer is a 200), then measure.
			taskset -c 1 wrk -t1 -c"$CONNS" -d2s -s "$BIN.lua" "http://$ADDR/discord/interactions" >/dev/null
			out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s "$BIN.lua" "http://$ADDR/discord/interactions")
			kill "$pid"
			wait "$pid" 2>/dev/null || true
			rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
			p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
			p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
			errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
			printf '%-6s %-28s round %d: %10s req/s  p50 %8s  p99 %8s %s\n' "$mode" "$(basename "$body")" "$round" "$rps" "$p50" "$p99" "$errs"
		done
		round=$((round + 1))
	done
done
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
