#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 on loopback for the tests and
# benchmarks: its own data directory, its own port, trust auth for the test
# user only on 127.0.0.1. Usage: postgres.sh start|stop  (prints the URL).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA_DIR="${CONDUCTOR_PGDATA:-/tmp/conductor-pg-$(id -u)}"
PGPORT="${CONDUCTOR_PGPORT:-55432}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -x "$PGBIN/initdb" ] || { echo "[postgres] PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
# PostgreSQL refuses to run as root; run it as the postgres system user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
      rm -rf "$PGDATA_DIR"; mkdir -p "$PGDATA_DIR"
      [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
      as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
      as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -w -t 60 -l "$PGDATA_DIR/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c max_connections=300" start >/dev/null
    fi
    echo "postgresql://postgres@127.0.0.1:$PGPORT"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
