#!/usr/bin/env bash
# Compares gatewayd's own HTTP front (daemon/http) with QtHttpServer 6.4 on
# the same trivial route, one thread each, GET and a chat-sized POST.
# usage: bench/http-front.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cmake --build "$build" --target bench-gatewayhttp-hello bench-qthttpserver-hello >/dev/null
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # binary -> port
    local out; out=$(mktemp)
    "$1" 0 >"$out" 2>/dev/null & pids+=($!)
    for _ in $(seq 1 50); do grep -q listening "$out" && break; sleep 0.1; done
    awk '/listening on/ {print $3}' "$out"
}
ours=$(start "$build/bench/bench-gatewayhttp-hello")
qths=$(start "$build/bench/bench-qthttpserver-hello")
measure() { wrk -t1 -c64 -d5s --latency "$@" | awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} END {printf "%10.0f req/s  p50 %s\n", rps, p50}'; }
for round in 1 2; do
    echo "round $round"
    echo "  gateway front  GET : $(measure "http://127.0.0.1:$ours/healthz")"
    echo "  QtHttpServer   GET : $(measure "http://127.0.0.1:$qths/healthz")"
    echo "  gateway front  POST: $(measure -s "$here/post.lua" "http://127.0.0.1:$ours/healthz")"
    echo "  QtHttpServer   POST: $(measure -s "$here/post.lua" "http://127.0.0.1:$qths/healthz")"
done
