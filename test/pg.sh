#!/bin/sh
# A throwaway PostgreSQL server on 127.0.0.1 for the tests.
# Usage: pg.sh start|stop|restart|createdb NAME|params NAME
set -eu
PORT=${SEANCES_PG_PORT:-55432}
DIR=${SEANCES_PG_DIR:-/tmp/seances-test-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
OPTS="-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

init_cluster() {
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    as_postgres "$BIN/initdb" -D "$DIR" -A trust -U postgres --no-sync >"$DIR.initdb.log" 2>&1 ||
        { cat "$DIR.initdb.log" >&2; exit 1; }
}

case ${1:-} in
start)
    [ -f "$DIR/PG_VERSION" ] || init_cluster
    as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1 && exit 0
    as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -o "$OPTS" -w -t 30 start >/dev/null ||
        { cat "$DIR/server.log" >&2; exit 1; }
    ;;
stop)
    [ -f "$DIR/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
    exit 0
    ;;
restart)
    as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -o "$OPTS" -m fast -w -t 30 restart >/dev/null
    ;;
createdb)
    psql -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$2\"" -c "CREATE DATABASE \"$2\"" >/dev/null
    ;;
params)
    echo "host=127.0.0.1 port=$PORT dbname=$2 user=postgres connect_timeout=3"
    ;;
*)
    echo "usage: pg.sh start|stop|restart|createdb NAME|params NAME" >&2
    exit 2
    ;;
esac
