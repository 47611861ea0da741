#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests (Debian's postgresql package): `start` initialises a data
# directory under a temporary folder, listens on 127.0.0.1:$PGPORT (default 54329) only, and prints
# the folder; `stop FOLDER` stops that server and removes the folder; `halt FOLDER` stops the server
# and `resume FOLDER` starts it again on its data (the fault tests' outage). Run as root (the server runs as
# the postgres user) or as any other user (it runs as that user).
set -euo pipefail
PORT=${PGPORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
case "${1:-}" in
  start)
    if [ -z "$BIN" ]; then apt-get update >&2 && apt-get install -y postgresql >&2; BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
    DIR=$(mktemp -d /tmp/nextbest-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_pg "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log'"
    echo "$PORT" >"$DIR/port"
    "$0" resume "$DIR"
    echo "$DIR"
    ;;
  resume)
    DIR=${2:?usage: postgres.sh resume FOLDER}
    as_pg "'$BIN/pg_ctl' -D '$DIR/data' -o \"-p $(cat "$DIR/port") -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=300\" -l '$DIR/log' -w start >&2"
    ;;
  halt)
    DIR=${2:?usage: postgres.sh halt FOLDER}
    as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >&2"
    ;;
  stop)
    DIR=${2:?usage: postgres.sh stop FOLDER}
    as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >&2" || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: postgres.sh start | stop FOLDER | halt FOLDER | resume FOLDER" >&2; exit 2 ;;
esac
