#!/usr/bin/env bash
# Many concurrent slow streams through gatewayd: its memory while they are
# open, whether other calls still get through quickly, and whether memory
# comes back afterwards.
#   usage: bench/open-streams.sh [BUILD_DIR] [STREAMS] [SECONDS]   (defaults: build 5000 20)
# Starts the project's fake upstream (streams one word per second) and a
# gatewayd (--workers 1), holds STREAMS streams open with wrk for SECONDS,
# and meanwhile measures a fast non-streaming call at 8 connections.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
streams=${2:-5000}
seconds=${3:-20}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d /tmp/gw-streams.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
P_UP=$(port); P_FAST=$(port); P_GW=$(port)
# Two fake providers: one holds the slow streams, the other answers the fast
# calls, so that what is measured is the gateway, not a busy fake.
"$build/tests/support/fake-upstream" --port "$P_UP" >"$dir/up.log" 2>&1 & pids+=($!)
"$build/tests/support/fake-upstream" --port "$P_FAST" >"$dir/fast.log" 2>&1 & pids+=($!)
token="bench-admin-$(date +%s%N)"
"$build/daemon/gatewayd" --listen "127.0.0.1:$P_GW" --data "$dir/data" --admin-token "$token" --workers 1 \
    --store-payloads off >"$dir/gw.log" 2>&1 & gw=$!; pids+=($gw)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P_GW/healthz" >/dev/null && break; sleep 0.1; done
admin() { curl -sf -X "$1" "http://127.0.0.1:$P_GW/admin/v1$2" -H "Authorization: Bearer $token" -d "$3"; }
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
ch=$(admin POST /channels "{\"name\":\"fake\",\"provider\":\"openai\",\"base_url\":\"http://127.0.0.1:$P_UP/v1\",\"secret\":\"sk-fake\"}" | jget id)
chf=$(admin POST /channels "{\"name\":\"fast\",\"provider\":\"openai\",\"base_url\":\"http://127.0.0.1:$P_FAST/v1\",\"secret\":\"sk-fake\"}" | jget id)
words="one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
admin POST /models "{\"id\":\"slow\",\"type\":\"chat\",\"pricing\":{\"input_per_mtok\":1,\"output_per_mtok\":2},\"routes\":[{\"channel\":\"$ch\",\"upstream_model\":\"fake:interval=1000,text=$words\"}]}" >/dev/null
admin POST /models "{\"id\":\"fast\",\"type\":\"chat\",\"pricing\":{\"input_per_mtok\":1,\"output_per_mtok\":2},\"routes\":[{\"channel\":\"$chf\",\"upstream_model\":\"fake:text=hi\"}]}" >/dev/null
uid=$(admin POST /users '{"email":"bench@example.com","credits":1000000000}' | jget id)
key=$(admin POST "/users/$uid/keys" '{"name":"bench"}' | jget key)
lua() { # model stream
    cat <<LUA
wrk.method = "POST"
wrk.body = '{"model":"$1","stream":$2,"max_tokens":64,"messages":[{"role":"user","content":"Say hello."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
}
lua slow true >"$dir/slow.lua"; lua fast false >"$dir/fast.lua"
rss() { awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$gw/status"; }
url="http://127.0.0.1:$P_GW/v1/chat/completions"
echo "idle RSS: $(rss)"
echo "fast calls alone (8 connections):"
wrk -t1 -c8 -d5s --latency -s "$dir/fast.lua" "$url" | awk '/Requests\/sec/ {print "  req/s " $2} $1=="50%" {print "  p50 " $2} $1=="99%" {print "  p99 " $2}'
wrk -t2 -c"$streams" -d"${seconds}s" --timeout 60s -s "$dir/slow.lua" "$url" >"$dir/slow.out" 2>&1 &
slow=$!
sleep $((seconds / 3))
echo "with $streams streams open: RSS $(rss), open streams $(curl -s "http://127.0.0.1:$P_GW/metrics" | awk '/^gateway_relay_open_streams/ {print $2}')"
echo "fast calls meanwhile (8 connections):"
wrk -t1 -c8 -d5s --latency -s "$dir/fast.lua" "$url" | awk '/Requests\/sec/ {print "  req/s " $2} $1=="50%" {print "  p50 " $2} $1=="99%" {print "  p99 " $2}'
echo "peak RSS while open: $(awk '/VmHWM/ {print $2/1024 " MB"}' "/proc/$gw/status")"
wait $slow 2>/dev/null || true
grep -E "requests in|Non-2xx|Socket errors" "$dir/slow.out" | sed 's/^/  slow: /' || true
sleep 2
echo "RSS after the streams ended: $(rss)"
sleep 10
echo "RSS 10 s later: $(rss)"
