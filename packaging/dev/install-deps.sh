#!/usr/bin/env bash
# Installs what building and running the gateway needs, from Debian 12's own
# packages; with --tests also what the test suite needs. Needs root (or sudo).
# Does nothing when everything is there.
set -euo pipefail
tests=0
[ "${1:-}" = "--tests" ] && tests=1
packages=(
    ca-certificates g++ cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
    libqt6sql6-sqlite libqt6sql6-psql
    libcurl4-openssl-dev libssl-dev libsqlite3-dev libpq-dev libhiredis-dev libsimdjson-dev
    postgresql redis-server
)
if [ "$tests" = 1 ]; then
    # tst_upstreamtls: nginx terminates TLS and HTTP/2 in front of the fake
    # upstream, with certificates made by openssl.
    packages+=(nginx openssl)
    # The SDK tests run the official npm clients; take Debian's node unless one is there.
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
    fi
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian postgresql package starts a cluster of its own; the tests use a
# scratch server instead and do not need it running.
