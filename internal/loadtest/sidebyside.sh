#!/usr/bin/env bash
# Side-by-side load test of the Discord and Slack HTTP endpoints: advisorybot
# serve as it is now (in memory, and with Redis), serve as it was at an
# earlier commit (BEFORE), the Node.js peers from ../shared/peers
# (Express + discord-interactions; Bolt), and the verify-only baselines,
# measured in interleaved rounds in one run.
#
# Each server runs alone on CPU 0 (Go servers with GOMAXPROCS=1); the load
# generators (loadgen for Discord, slackload -load for Slack: every request
# signed afresh with a unique interaction id / trigger_id) and redis-server
# share CPU 1. The peers answer with the bytes serve answers, captured at
# the start (-show), and do no bot work at all.
#
# Usage, from the repository root:
#   internal/loadtest/sidebyside.sh [seconds] [rounds]
# Env: BEFORE (commit, default 7d79100), PEERS (folder with the peers
# installed: npm ci done; default /tmp/peers), TARGETS (default: all),
# CONNS (64).
set -eu
secs=${1:-8}
rounds=${2:-3}
before=${BEFORE:-7d79100}
peers=${PEERS:-/tmp/peers}
conns=${CONNS:-64}
targets=${TARGETS:-"d-verify d-before d-after d-redis d-peer s-verify s-before s-after s-redis s-peer"}
secret=8f742231b10e8888abcd99yyyzzz85a5 # slackload's test signing secret
dir=$(mktemp -d)
pids=""
cleanup() {
	for q in $pids; do kill "$q" 2>/dev/null || true; done
	git worktree remove --force "$dir/old" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

echo "building (after: $(git rev-parse --short HEAD), before: $before)"
go build -o "$dir/after" ./cmd/advisorybot
go build -o "$dir/loadgen" ./adapters/discord/discordtest/loadgen
go build -o "$dir/loadserver" ./adapters/discord/discordtest/loadserver
go build -o "$dir/slackload" ./adapters/slack/internal/slackload
git worktree add --detach -q "$dir/old" "$before"
(cd "$dir/old" && go build -o "$dir/before" ./cmd/advisorybot)
key=$("$dir/loadgen" -key)

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(port)
taskset -c 1 redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
pids="$pids $!"

# start <target> <port>: starts the target's server on CPU 0; its pid is
# left in spid (not printed: a command substitution would wait for the
# server's output to end).
start() {
	env="ADDR=127.0.0.1:$2 LOG_LEVEL=error DISCORD_PUBLIC_KEY=$key SLACK_SIGNING_SECRET=$secret ADVISORYBOT_USER_RATE_PER_MINUTE=1000000000 ADVISORYBOT_COMMUNITY_RATE_PER_MINUTE=1000000000"
	case $1 in
	d-verify) GOMAXPROCS=1 taskset -c 0 "$dir/loadserver" -mode verify -addr "127.0.0.1:$2" 2>/dev/null & ;;
	s-verify) GOMAXPROCS=1 taskset -c 0 "$dir/slackload" -data testdata/reviews -verify "127.0.0.1:$2" -full 127.0.0.1:0 -canned 127.0.0.1:0 -answer 127.0.0.1:0 2>/dev/null & ;;
	d-before | s-before) env $env GOMAXPROCS=1 taskset -c 0 "$dir/before" serve 2>/dev/null & ;;
	d-after | s-after) env $env GOMAXPROCS=1 taskset -c 0 "$dir/after" serve 2>/dev/null & ;;
	d-redis | s-redis) env $env REDIS_URL="redis://127.0.0.1:$redis_port/0" GOMAXPROCS=1 taskset -c 0 "$dir/after" serve 2>/dev/null & ;;
	d-peer) (cd "$peers" && PORT=$2 DISCORD_PUBLIC_KEY=$key ANSWER=$dir/discord-answer.json exec taskset -c 0 node discord_express.js 2>/dev/null) & ;;
	s-peer) (cd "$peers" && PORT=$2 SLACK_SIGNING_SECRET=$secret ANSWER=$dir/slack-answer.json exec taskset -c 0 node slack_bolt.js 2>/dev/null) & ;;
	*) echo "unknown target $1" >&2; exit 2 ;;
	esac
	spid=$!
}
url() {
	case $1 in
	d-*) echo "http://127.0.0.1:$2/discord/interactions" ;;
	s-*) echo "http://127.0.0.1:$2/slack/commands" ;;
	esac
}
load() { # load <target> <port> <seconds>
	case $1 in
	d-*) GOMAXPROCS=1 taskset -c 1 "$dir/loadgen" -c "$conns" -d "${3}s" "$(url "$1" "$2")" ;;
	s-*) GOMAXPROCS=1 taskset -c 1 "$dir/slackload" -load "$(url "$1" "$2")" -c "$conns" -d "${3}s" ;;
	esac
}
waitfor() { # waitfor <port>: until something listens there
	i=0
	while ! (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "nothing listens on $1" >&2; exit 1; }
		sleep 0.1
	done
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# The peers answer with serve's own bytes.
p=$(port); start d-after "$p"; pid=$spid; waitfor "$p"
"$dir/loadgen" -show "$(url d-after "$p")" >"$dir/discord-answer.json"
"$dir/slackload" -load "$(url s-after "$p")" -show >"$dir/slack-answer.json"
stop "$pid"
echo "answers: discord $(wc -c <"$dir/discord-answer.json") bytes, slack $(wc -c <"$dir/slack-answer.json") bytes"

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$dir/results"
r=1
while [ "$r" -le "$rounds" ]; do
	for t in $targets; do
		p=$(port)
		start "$t" "$p" >/dev/null
		pid=$spid
		waitfor "$p"
		load "$t" "$p" 2 >/dev/null || true # warm up
		out=$(load "$t" "$p" "$secs" | grep '^RESULT\|^requests=\|rps=' | tail -1)
		stop "$pid"
		rps=$(field "$out" rps)
		p99=$(field "$out" p99_ms)
		bad="$(field "$out" non2xx)/$(field "$out" errors)"
		printf '%-9s round %d: %9s req/s  p99 %7s ms  non-2xx/errors %s\n' "$t" "$r" "$rps" "$p99" "$bad"
		echo "$t $r $rps $p99" >>"$dir/results"
	done
	r=$((r + 1))
done
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# Median round per target, and the ratios the issues ask about.
awk '
	{ v[$1] = v[$1] " " $3; p[$1] = p[$1] " " $4 }
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		for (t in v) { m[t] = median(v[t]); q[t] = median(p[t]); printf "MEDIAN %-9s %9.0f req/s  p99 %6.2f ms\n", t, m[t], q[t] }
		if (m["d-peer"]) printf "RATIO discord after/peer %.1fx  before/peer %.1fx\n", m["d-after"] / m["d-peer"], m["d-before"] / m["d-peer"]
		if (m["s-peer"]) printf "RATIO slack after/peer %.1fx  before/peer %.1fx\n", m["s-after"] / m["s-peer"], m["s-before"] / m["s-peer"]
		if (m["d-after"]) printf "RATIO discord redis/memory %.0f%%  after/verify %.0f%%\n", 100 * m["d-redis"] / m["d-after"], 100 * m["d-after"] / m["d-verify"]
		if (m["s-after"]) printf "RATIO slack redis/memory %.0f%%  after/verify %.0f%%\n", 100 * m["s-redis"] / m["s-after"], 100 * m["s-after"] / m["s-verify"]
	}' "$dir/results" | sort
