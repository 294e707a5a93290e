#!/usr/bin/env bash
# Installs what is needed, builds everything and runs the whole test suite:
# unit, integration (the real gatewayd against a fake upstream), console, and
# every database test on SQLite and on a scratch PostgreSQL on loopback.
# GATEWAY_TEST_POSTGRES=postgres://... uses an existing server instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
packaging/dev/install-deps.sh --tests
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEWAY_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)"

if [ -z "${GATEWAY_TEST_POSTGRES:-}" ]; then
    pgdir=$(mktemp -d /tmp/gw-test-pg.XXXXXX)
    trap '"$root/packaging/dev/scratch-postgres.sh" stop "$pgdir"; rm -rf "$pgdir"' EXIT
    GATEWAY_TEST_POSTGRES=$(packaging/dev/scratch-postgres.sh start "$pgdir")
    export GATEWAY_TEST_POSTGRES
fi
echo "Database tests run on SQLite and on PostgreSQL at ${GATEWAY_TEST_POSTGRES##*@}"
cd build
ctest --output-on-failure --timeout 900 -j 2
