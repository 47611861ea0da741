#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests (Debian's postgresql package): `start` initialises a data
# directory under a temporary folder, listens on 127.0.0.1:$PGPORT (default 54329) only, and prints
# the folder; `stop FOLDER` stops that server and removes the folder. Run as root (the server runs as
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
    as_pg "'$BIN/pg_ctl' -D '$DIR/data' -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on\" -l '$DIR/log' -w start >&2"
    echo "$DIR"
    ;;
  stop)
    DIR=${2:?usage: postgres.sh stop FOLDER}
    as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >&2" || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: postgres.sh start | stop FOLDER" >&2; exit 2 ;;
esac
