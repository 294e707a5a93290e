#!/usr/bin/env bash
# Quick start: install what is needed, build, and start gatewayd on the
# embedded SQLite database in ./data (listening on 127.0.0.1:8080).
# Extra arguments go to gatewayd, e.g. packaging/dev/run.sh --listen 0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/../.."
packaging/dev/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target gatewayd
exec build/daemon/gatewayd "$@"
