#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server on loopback for the tests.
#   scratch-postgres.sh start DIR   -> prints the URL to use as GATEWAY_TEST_POSTGRES
#   scratch-postgres.sh stop DIR
# The server runs as the postgres user (PostgreSQL refuses to run as root),
# listens on 127.0.0.1 only, on a free port, with its data in DIR.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?data directory}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "scratch-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    # A free port: one nothing answers on (bash alone; no python on a bare machine).
    port=""
    for _ in $(seq 1 50); do
        candidate=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
    done
    [ -n "$port" ] || { echo "scratch-postgres: no free port found" >&2; exit 1; }
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=300" start >/dev/null
    as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE gw LOGIN SUPERUSER PASSWORD 'gw'" >/dev/null
    as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE gw OWNER gw" >/dev/null
    echo "postgres://gw:gw@127.0.0.1:$port/gw"
    ;;
stop)
    [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
