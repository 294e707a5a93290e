#!/usr/bin/env bash
# Starts the shared bench's nginx mock upstream and a gatewayd configured
# against it (as ../shared/bench/run.sh does), then waits; for profiling and
# ad-hoc measurements of the relay.
#   usage: bench/relay-setup.sh GATEWAYD [WORKERS]   -> prints PORT KEY PID, keeps running until killed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$here/../../shared/bench" 2>/dev/null && pwd || true)
[ -n "$shared" ] || { echo "relay-setup: ../shared/bench not found next to the repository" >&2; exit 2; }
gatewayd=$(realpath "$1"); workers=${2:-1}
dir=$(mktemp -d /tmp/gw-relay-bench.XXXXXX)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
P_OPENAI=$(port); P_SSE=$(port); P_GW=$(port)
sed -e "s|@DIR@|$dir|g" -e "s|@OPENAI_PORT@|$P_OPENAI|g" -e "s|@OPENAI_SSE_PORT@|$P_SSE|g" "$shared/mock-upstream.conf.in" > "$dir/mock.conf"
nginx -c "$dir/mock.conf"
trap 'kill $(cat "$dir/mock.pid") 2>/dev/null; kill $gw 2>/dev/null; rm -rf "$dir"' EXIT
token="bench-admin-$(date +%s%N)"
"$gatewayd" --listen "127.0.0.1:$P_GW" --data "$dir/data" --admin-token "$token" --workers "$workers" >"$dir/gw.log" 2>&1 &
gw=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P_GW/healthz" >/dev/null && break; sleep 0.1; done
admin() { curl -sf -X "$1" "http://127.0.0.1:$P_GW/admin/v1$2" -H "Authorization: Bearer $token" -d "$3"; }
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
ch=$(admin POST /channels "{\"name\":\"m\",\"provider\":\"openai\",\"base_url\":\"http://127.0.0.1:$P_OPENAI\",\"secret\":\"sk-mock\"}" | jget id)
chs=$(admin POST /channels "{\"name\":\"s\",\"provider\":\"openai\",\"base_url\":\"http://127.0.0.1:$P_SSE\",\"secret\":\"sk-mock\"}" | jget id)
admin POST /models "{\"id\":\"bench-model\",\"type\":\"chat\",\"pricing\":{\"input_per_mtok\":1,\"output_per_mtok\":2},\"routes\":[{\"channel\":\"$ch\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
admin POST /models "{\"id\":\"bench-stream\",\"type\":\"chat\",\"pricing\":{\"input_per_mtok\":1,\"output_per_mtok\":2},\"routes\":[{\"channel\":\"$chs\",\"upstream_model\":\"bench-upstream\"}]}" >/dev/null
uid=$(admin POST /users '{"email":"bench@example.com","credits":1000000000}' | jget id)
key=$(admin POST "/users/$uid/keys" '{"name":"bench"}' | jget key)
echo "$P_GW $key $gw"
wait $gw
