#!/bin/sh
# A throwaway PostgreSQL server on 127.0.0.1 for the tests, set up the way an admin would:
# the cluster made with "initdb --locale=C -E UTF8", the databases owned by a role "seances"
# that is not a superuser and that the module and seances-admin connect as.
#
#   pg.sh start                  start the server (a new cluster if there is none)
#   pg.sh fresh                  a new, empty cluster, started
#   pg.sh stop | restart
#   pg.sh createdb NAME [LOCALE] a new database NAME owned by the role seances (UTF8, LOCALE,
#                                C by default), dropped first if it exists
#   pg.sh params NAME            the conninfo of NAME as the role seances (DBDParams, --db)
#   pg.sh su NAME SQL            runs SQL in NAME as the superuser postgres (what the tests
#                                do behind the module's back, e.g. refusing connections)
#   pg.sh pid                    the postmaster's pid
# The port is SEANCES_PG_PORT (25432 by default), the cluster lives in SEANCES_PG_DIR.
# The default lies below Linux's ephemeral range (ip_local_port_range, 32768-60999 on Debian):
# a port inside it can be taken at any moment by some client's outgoing connection, which made
# the server's bind fail with "Address already in use" although nothing listened there.
set -eu
PORT=${SEANCES_PG_PORT:-25432}
DIR=${SEANCES_PG_DIR:-/tmp/seances-test-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
OPTS="-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off"
ROLE=seances
# written into the cluster by init_cluster: a cluster made otherwise (e.g. by an older pg.sh)
# is made again
INITDB_OPTS="--locale=C -E UTF8"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

su_sql() {
    db=$1
    shift
    psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@" >/dev/null
}

running() {
    as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

# A postmaster.pid whose server is gone (the machine rebooted, the server was killed) is
# left behind: nothing to stop then.
stop_server() {
    if running; then
        as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
    fi
}

init_cluster() {
    stop_server
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    # shellcheck disable=SC2086 # INITDB_OPTS is a list of options
    as_postgres "$BIN/initdb" -D "$DIR" -A trust -U postgres --no-sync $INITDB_OPTS \
        >"$DIR.initdb.log" 2>&1 || { cat "$DIR.initdb.log" >&2; exit 1; }
    echo "$INITDB_OPTS" | as_postgres tee "$DIR/seances-initdb-opts" >/dev/null
}

# A port held by a connection that is closing frees itself within seconds, as PostgreSQL's own
# hint says: a few tries before giving up.  Any other failure is reported at once.
start_server() {
    running && return 0
    tries=0
    rm -f "$DIR/server.log"
    until as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -o "$OPTS" -w -t 30 start >/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 10 ] || ! grep -q 'could not bind' "$DIR/server.log"; then
            cat "$DIR/server.log" >&2
            echo "pg.sh: PostgreSQL did not start on 127.0.0.1:$PORT (SEANCES_PG_PORT)" >&2
            exit 1
        fi
        echo "pg.sh: 127.0.0.1:$PORT is in use, trying again in 2 s ($tries/10)" >&2
        sleep 2
        rm -f "$DIR/server.log"
    done
}

case ${1:-} in
start)
    [ "$(cat "$DIR/seances-initdb-opts" 2>/dev/null)" = "$INITDB_OPTS" ] || init_cluster
    start_server
    ;;
fresh)
    init_cluster
    start_server
    ;;
stop)
    stop_server
    ;;
restart)
    as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -o "$OPTS" -m fast -w -t 30 restart >/dev/null
    ;;
createdb)
    locale=${3:-C}
    su_sql postgres -c "SET client_min_messages = warning" -c "DO \$\$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
                CREATE ROLE $ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
            END IF;
        END \$\$" \
        -c "DROP DATABASE IF EXISTS \"$2\" WITH (FORCE)" \
        -c "CREATE DATABASE \"$2\" OWNER $ROLE TEMPLATE template0 ENCODING 'UTF8' LOCALE '$locale'"
    ;;
params)
    echo "host=127.0.0.1 port=$PORT dbname=$2 user=$ROLE connect_timeout=3"
    ;;
su)
    su_sql "$2" -c "$3"
    ;;
pid)
    head -n 1 "$DIR/postmaster.pid"
    ;;
*)
    echo "usage: pg.sh start|fresh|stop|restart|createdb NAME [LOCALE]|params NAME|su NAME SQL|pid" >&2
    exit 2
    ;;
esac
