#!/usr/bin/env bash
# The project's own relay scenarios, one command:
#   bench/scenarios.sh [BUILD_DIR] [--workers N] [--duration S] [--only NAME[,NAME...]]
# Scenarios (64 connections each, --workers 1 by default):
#   nonstream     one priced model, one channel (the shared bench's call)
#   stream        the same as an SSE stream
#   many-keys     1,000 keys of 100 users, a random one per request
#   many-models   1,000 models on one channel, a random one per request
#   channels-1000 1,000 channels, four models of 250 routes each (random pick)
#   channel-down  a model whose first channel refuses connections: the
#                 breaker opens, the second channel answers
# Upstream: nginx answering in OpenAI's shape (../shared/bench's mock).
# Prints requests/s, p50 and p99 per scenario, and the writer backlog after.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}"); shift || true
workers=1; duration=5; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "scenarios.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
shared=$(cd "$here/../../shared/bench" 2>/dev/null && pwd || true)
[ -n "$shared" ] || { echo "scenarios.sh: ../shared/bench not found next to the repository" >&2; exit 2; }
need=(); command -v nginx >/dev/null || need+=(nginx-light); command -v wrk >/dev/null || need+=(wrk)
[ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d /tmp/gw-scenarios.XXXXXX)
gw=""
trap '[ -f "$dir/mock.pid" ] && kill $(cat "$dir/mock.pid") 2>/dev/null; [ -n "$gw" ] && kill $gw 2>/dev/null; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
P_OPENAI=$(port); P_SSE=$(port); P_GW=$(port); P_DEAD=$(port)
sed -e "s|@DIR@|$dir|g" -e "s|@OPENAI_PORT@|$P_OPENAI|g" -e "s|@OPENAI_SSE_PORT@|$P_SSE|g" "$shared/mock-upstream.conf.in" > "$dir/mock.conf"
nginx -c "$dir/mock.conf"
token="bench-admin-$(date +%s%N)"
"$build/daemon/gatewayd" --listen "127.0.0.1:$P_GW" --data "$dir/data" --admin-token "$token" --workers "$workers" >"$dir/gw.log" 2>&1 &
gw=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P_GW/healthz" >/dev/null && break; sleep 0.1; done
admin() { curl -sS --fail-with-body -X "$1" "http://127.0.0.1:$P_GW/admin/v1$2" -H "Authorization: Bearer $token" -d "$3" || { echo "scenarios.sh: admin $1 $2 failed" >&2; exit 1; }; }
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
pricing='"pricing":{"input_per_mtok":1,"output_per_mtok":2}'
channel() { admin POST /channels "{\"name\":\"$1\",\"provider\":\"openai\",\"base_url\":\"$2\",\"secret\":\"sk-mock\",\"priority\":${3:-10}}" | jget id; }
ch=$(channel mock "http://127.0.0.1:$P_OPENAI")
chs=$(channel mock-sse "http://127.0.0.1:$P_SSE")
admin POST /models "{\"id\":\"bench-model\",\"type\":\"chat\",$pricing,\"routes\":[{\"channel\":\"$ch\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
admin POST /models "{\"id\":\"bench-stream\",\"type\":\"chat\",$pricing,\"routes\":[{\"channel\":\"$chs\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
uid=$(admin POST /users '{"email":"bench@example.com","credits":1000000000}' | jget id)
key=$(admin POST "/users/$uid/keys" '{"name":"bench"}' | jget key)
url="http://127.0.0.1:$P_GW/v1/chat/completions"
selected() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

lua_fixed() { # model stream key
  cat <<LUA
wrk.method = "POST"
wrk.body = '{"model":"$1","stream":$2,"max_tokens":64,"messages":[{"role":"user","content":"Say hello in one short sentence."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $3"
LUA
}
lua_pick() { # file-of-keys file-of-models
  printf 'local keys = {'; sed 's/.*/"&",/' "$1" | tr -d '\n'; printf '}\nlocal models = {'; sed 's/.*/"&",/' "$2" | tr -d '\n'; printf '}\n'
  cat <<'LUA'
math.randomseed(42)
request = function()
  local k = keys[math.random(#keys)]
  local m = models[math.random(#models)]
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. k},
    '{"model":"' .. m .. '","stream":false,"max_tokens":64,"messages":[{"role":"user","content":"Say hello in one short sentence."}]}')
end
LUA
}
run() { # name luafile
  wrk -t1 -c8 -d1s -s "$2" "$url" >/dev/null 2>&1 || true
  local out; out=$(wrk -t1 -c64 -d"${duration}s" --latency -s "$2" "$url" 2>&1)
  printf '%-14s %10s %10s %10s %8s\n' "$1" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}
printf '%-14s %10s %10s %10s %8s\n' scenario "req/s" p50 p99 non-2xx
if selected nonstream; then lua_fixed bench-model false "$key" >"$dir/a.lua"; run nonstream "$dir/a.lua"; fi
if selected stream; then lua_fixed bench-stream true "$key" >"$dir/b.lua"; run stream "$dir/b.lua"; fi
if selected many-keys; then
  : >"$dir/keys"
  for u in $(seq 1 100); do
    id=$(admin POST /users "{\"email\":\"k$u@example.com\",\"credits\":1000000}" | jget id)
    for _ in $(seq 1 10); do admin POST "/users/$id/keys" '{"name":"k"}' | jget key >>"$dir/keys"; done
  done
  echo bench-model >"$dir/one-model"
  lua_pick "$dir/keys" "$dir/one-model" >"$dir/c.lua"; run many-keys "$dir/c.lua"
fi
if selected many-models; then
  : >"$dir/models"
  for i in $(seq 1 1000); do
    admin POST /models "{\"id\":\"m-$i\",\"type\":\"chat\",$pricing,\"routes\":[{\"channel\":\"$ch\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
    echo "m-$i" >>"$dir/models"
  done
  echo "$key" >"$dir/one-key"
  lua_pick "$dir/one-key" "$dir/models" >"$dir/d.lua"; run many-models "$dir/d.lua"
fi
if selected channels-1000; then
  # A model takes at most 256 routes: four models of 250 channels each.
  : >"$dir/wide"
  for m in 1 2 3 4; do
    routes=""
    for i in $(seq 1 250); do
      c=$(channel "c-$m-$i" "http://127.0.0.1:$P_OPENAI")
      routes="$routes{\"channel\":\"$c\",\"upstream_model\":\"bench-upstream\"},"
    done
    admin POST /models "{\"id\":\"wide-$m\",\"type\":\"chat\",$pricing,\"routes\":[${routes%,}]}" >/dev/null
    echo "wide-$m" >>"$dir/wide"
  done
  echo "$key" >"$dir/one-key"
  lua_pick "$dir/one-key" "$dir/wide" >"$dir/e.lua"; run channels-1000 "$dir/e.lua"
fi
if selected channel-down; then
  dead=$(channel dead "http://127.0.0.1:$P_DEAD" 100)
  admin POST /models "{\"id\":\"fallback\",\"type\":\"chat\",$pricing,\"routes\":[{\"channel\":\"$dead\",\"upstream_model\":\"x\"},{\"channel\":\"$ch\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
  lua_fixed fallback false "$key" >"$dir/f.lua"; run channel-down "$dir/f.lua"
fi
sleep 1
echo "writer backlog after: $(curl -s "http://127.0.0.1:$P_GW/metrics" | awk '/^gateway_store_write_backlog|^gateway_ledger_backlog/ {printf "%s=%s ", $1, $2}')"
echo "gatewayd RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$gw/status)"
