#!/usr/bin/env bash
# Time to the first streamed byte through gatewayd against the same upstream
# called directly (the issue's target: within 1 ms of the upstream's).
#   usage: bench/stream-ttfb.sh [BUILD_DIR] [CALLS]   (defaults: build 200)
# Starts the project's fake upstream, whose stream sends its first event at
# once and the next ones 20 ms apart, and a gatewayd (--workers 1) routing a
# model to it; stream-ttfb.py then alternates calls between the two.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
calls=${2:-200}
dir=$(mktemp -d /tmp/gw-ttfb.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
P_UP=$(port); P_GW=$(port)
"$build/tests/support/fake-upstream" --port "$P_UP" >"$dir/up.log" 2>&1 & pids+=($!)
token="bench-admin-$(date +%s%N)"
"$build/daemon/gatewayd" --listen "127.0.0.1:$P_GW" --data "$dir/data" --admin-token "$token" --workers 1 \
    >"$dir/gw.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P_GW/healthz" >/dev/null && break; sleep 0.1; done
admin() { curl -sf -X "$1" "http://127.0.0.1:$P_GW/admin/v1$2" -H "Authorization: Bearer $token" -d "$3"; }
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
upstream_model="fake:interval=20,text=one two three"
ch=$(admin POST /channels "{\"name\":\"fake\",\"provider\":\"openai\",\"base_url\":\"http://127.0.0.1:$P_UP/v1\",\"secret\":\"sk-fake\"}" | jget id)
admin POST /models "{\"id\":\"ttfb\",\"type\":\"chat\",\"pricing\":{\"input_per_mtok\":1,\"output_per_mtok\":2},\"routes\":[{\"channel\":\"$ch\",\"upstream_model\":\"$upstream_model\"}]}" >/dev/null
uid=$(admin POST /users '{"email":"bench@example.com","credits":1000000000}' | jget id)
key=$(admin POST "/users/$uid/keys" '{"name":"bench"}' | jget key)
python3 "$here/stream-ttfb.py" "http://127.0.0.1:$P_UP/v1/chat/completions" \
    "http://127.0.0.1:$P_GW/v1/chat/completions" "$upstream_model" ttfb "$key" "$calls"
