#!/usr/bin/env bash
# CPU time the gateway spends per relayed call, by thread, under the shared
# bench's load (wrk, 64 connections, non-stream chat on the nginx mock):
# throughput on a 2-core machine moves with whatever else runs, CPU per call
# much less.
#   bench/cpu-per-call.sh GATEWAYD [RUNS] [SECONDS] [WORKERS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gatewayd=$(realpath "$1"); runs=${2:-3}; secs=${3:-5}; workers=${4:-1}
out=$(mktemp); lua=$(mktemp --suffix=.lua)
"$here/relay-setup.sh" "$gatewayd" "$workers" > "$out" 2>&1 &
setup=$!
trap 'kill $setup 2>/dev/null; [ -n "${pid:-}" ] && kill $pid 2>/dev/null; rm -f "$out" "$lua"' EXIT
for _ in $(seq 1 100); do [ -s "$out" ] && break; sleep 0.2; done
read -r port key pid < "$out"
sed "s/sk-0123456789abcdef0123456789abcdef0123456789abcdef/$key/" "$here/post.lua" > "$lua"
ticks() { # thread name -> utime+stime ticks, summed per name
  for t in /proc/"$pid"/task/*; do
    read -r -a st < "$t/stat" 2>/dev/null || continue
    echo "$(cat "$t/comm") $(( st[13] + st[14] ))"
  done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort
}
wrk -t1 -c64 -d2s -s "$lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null # warm-up
hz=$(getconf CLK_TCK)
for _ in $(seq 1 "$runs"); do
  before=$(ticks)
  res=$(wrk -t1 -c64 -d"${secs}s" -s "$lua" "http://127.0.0.1:$port/v1/chat/completions")
  after=$(ticks)
  reqs=$(awk '/requests in/ {print $1}' <<<"$res"); rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
  join <(echo "$before") <(echo "$after") | awk -v n="$reqs" -v hz="$hz" -v rps="$rps" '
    { d = ($3 - $2) * 1e6 / hz / n; if (d >= 1) { line = line sprintf(" %s=%.0fus", $1, d) }; total += d }
    END { printf "rps=%s%s total=%.0fus/call\n", rps, line, total }'
done
