#!/bin/sh
# bench-scale (make -f Makefile.apxs bench-scale): do the costs stay flat as the user base
# grows? The same operations on a small database (1 000 users, 10 000 login events, 100 live
# sessions) and a large one (1 000 000 users, 10 000 000 login events, 100 000 live sessions),
# on sqlite3 and on PostgreSQL, with the session cache off (every request asks the database):
#
#   login          median time of POST /login (a real argon2id check) for one user
#   session check  requests per second of a protected 1 KiB file (wrk -t1 -c8)
#   portal         median time of GET /portal, when the build has the portal
#   history        median time of "seances-admin history USER"
#
# Target: the large database within 1.2 x the small one for each. Rows are generated with
# SQL (one argon2id hash for the measured user; the others cannot log in). Both databases are
# served at once by two Apaches (ports BENCH_PORT and the next), and every measurement
# alternates between them, so that other load on the machine weighs on both alike. Results go to
# bench/results/scale-DATE.txt. Environment: SCALE_USERS, SCALE_EVENTS, SCALE_SESSIONS (the
# large sizes), SCALE_DRIVERS ("sqlite3 pgsql"), BENCH_PORT (8190), SCALE_PG_PORT (25499).
# Only 127.0.0.1 is contacted; every loop is bounded.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADMIN="$ROOT/seances-admin"
SO="$ROOT/.libs/mod_seances_auth.so"
APACHE2=${APACHE2:-/usr/sbin/apache2}
MODDIR=/usr/lib/apache2/modules
LARGE="${SCALE_USERS:-1000000} ${SCALE_EVENTS:-10000000} ${SCALE_SESSIONS:-100000}"
SMALL="1000 10000 100"
DRIVERS=${SCALE_DRIVERS:-sqlite3 pgsql}
PORT=${BENCH_PORT:-8190}
export SEANCES_PG_PORT=${SCALE_PG_PORT:-25499}
PG="sh $ROOT/test/pg.sh"
USER_NAME=scale-target
USER_PW='correct-horse-battery-staple-42'
RUNAS=www-data

die() { printf 'bench-scale: FAILED: %s\n' "$*" >&2; exit 1; }
log() { printf 'bench-scale: %s\n' "$*" >&2; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms_now() { echo $(($(date +%s%N) / 1000000)); }

[ "$(id -u)" = 0 ] || die "run as root (Apache switches to $RUNAS)"
[ -x "$ADMIN" ] && [ -f "$SO" ] || die "build first: make -f Makefile.apxs all"
for t in wrk curl sqlite3 psql; do command -v $t >/dev/null || die "$t is missing (make -f Makefile.apxs deps)"; done

TMP=$(mktemp -d /tmp/seances-scale.XXXXXX)
chmod 755 "$TMP"
cleanup() {
    for f in "$TMP"/run-*/apache2.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    $PG stop >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$TMP/htdocs"
awk 'BEGIN { for (i = 0; i < 16; i++) printf "%063d\n", i }' >"$TMP/htdocs/1k.txt"
HAS_PORTAL=0
grep -q '"seances-portal"' "$ROOT/src/handle/dispatch.c" && HAS_PORTAL=1

# ---- data ------------------------------------------------------------------------------------
# generate DRIVER PARAMS USERS EVENTS SESSIONS: the schema, the measured user, then the rest.
generate() {
    "$ADMIN" --dbd "$1" --db "$2" init >/dev/null
    printf '%s\n' "$USER_PW" | "$ADMIN" --dbd "$1" --db "$2" user add "$USER_NAME" \
        --email target@example.invalid --password-stdin >/dev/null
    now=$(date +%s)
    if [ "$1" = sqlite3 ]; then
        sqlite3 "$2" <<EOF
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3 - 1)
INSERT INTO users (name, name_key, email, created)
    SELECT 'user' || i, 'user' || i, 'user' || i || '@example.invalid', $now - 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $4)
INSERT INTO login_events (time, user_id, username, ip, user_agent, result)
    SELECT $now - (i % 25000000), 1 + i % $3, 'user' || (i % $3), '192.0.2.' || (i % 250),
           'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
           CASE WHEN i % 7 = 0 THEN 'bad_password' ELSE 'ok' END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $5)
INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, ip, user_agent)
    SELECT lower(hex(randomblob(32))), 1 + i % $3, $now, $now, $now + 43200, '192.0.2.9', 'x'
    FROM n;
COMMIT;
ANALYZE;
EOF
    else
        psql -X -q -h 127.0.0.1 -p "$SEANCES_PG_PORT" -U postgres -d "$DBNAME" -v ON_ERROR_STOP=1 <<EOF
INSERT INTO users (name, name_key, email, created)
    SELECT 'user' || i, 'user' || i, 'user' || i || '@example.invalid', $now - 86400
    FROM generate_series(1, $3 - 1) AS i;
INSERT INTO login_events (time, user_id, username, ip, user_agent, result)
    SELECT $now - (i % 25000000), 1 + i % $3, 'user' || (i % $3), '192.0.2.' || (i % 250),
           'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
           CASE WHEN i % 7 = 0 THEN 'bad_password' ELSE 'ok' END
    FROM generate_series(1, $4) AS i;
INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, ip, user_agent)
    SELECT md5(i::text || 'a') || md5(i::text || 'b'), 1 + i % $3, $now, $now, $now + 43200,
           '192.0.2.9', 'x'
    FROM generate_series(1, $5) AS i;
ANALYZE;
EOF
    fi
}

# ---- Apache ----------------------------------------------------------------------------------
start_apache() { # DRIVER PARAMS SIZE PORT
    run="$TMP/run-$3"
    mkdir -p "$run"
    cat >"$run/httpd.conf" <<EOF
ServerRoot "$TMP"
ServerName 127.0.0.1
Listen 127.0.0.1:$4
PidFile "$run/apache2.pid"
DefaultRuntimeDir "$run"
ErrorLog "$run/error.log"
LogLevel warn
User $RUNAS
Group $RUNAS
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authn_core_module $MODDIR/mod_authn_core.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule authz_user_module $MODDIR/mod_authz_user.so
LoadModule dbd_module $MODDIR/mod_dbd.so
LoadModule alias_module $MODDIR/mod_alias.so
LoadModule seances_auth_module "$SO"
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
DocumentRoot "$TMP/htdocs"
<Directory "$TMP/htdocs">
    Require all granted
</Directory>
Alias /seances/ "$TMP/htdocs/"
DBDriver $1
DBDParams "$2"
SeancesCryptoPassphrase "scale-passphrase-0123456789abcdef"
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
SeancesSessionCache none
SeancesLockout 100000 1m 1s 100000
SeancesHousekeeping 0
<Location "/login">
    SetHandler seances-login
</Location>
<Location "/seances/">
    AuthType Seances
    AuthName "seances"
    Require valid-user
</Location>
EOF
    if [ "$HAS_PORTAL" = 1 ]; then
        printf '<Location "/portal">\n    SetHandler seances-portal\n</Location>\n' >>"$run/httpd.conf"
    fi
    "$APACHE2" -f "$run/httpd.conf" -k start || die "apache2 did not start (see $run/error.log)"
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$4/login"; do
        [ $i -lt 100 ] || die "apache2 does not answer on port $4"
        sleep 0.1
        i=$((i + 1))
    done
}

stop_apache() { # SIZE
    run="$TMP/run-$1"
    pid=$(cat "$run/apache2.pid")
    "$APACHE2" -f "$run/httpd.conf" -k stop
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# login_once BASE SIZE: prints "status seconds" of one POST /login; the cookie goes to $TMP/cookie-SIZE
login_once() {
    curl -s -D "$TMP/get.h" -o "$TMP/get.html" "$1/login"
    csrf_cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(seances_session_csrf=[^;]*\).*/\1/p' "$TMP/get.h" | tr -d '\r' | head -n 1)
    token=$(tr '>' '\n' <"$TMP/get.html" | grep 'name="csrf"' | sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1)
    curl -s -o /dev/null -D "$TMP/post.h" -w '%{http_code} %{time_total}\n' -H "Cookie: $csrf_cookie" \
        --data-urlencode "username=$USER_NAME" --data-urlencode "password=$USER_PW" \
        --data-urlencode "csrf=$token" "$1/login"
    sed -n 's/^[Ss]et-[Cc]ookie: \(seances_session=[^;]*\).*/\1/p' "$TMP/post.h" | tr -d '\r' | head -n 1 >"$TMP/cookie-$2"
}

base_of() { if [ "$1" = small ]; then echo "http://127.0.0.1:$PORT"; else echo "http://127.0.0.1:$((PORT + 1))"; fi; }

# measure DRIVER: both sizes served at once, each measurement alternating small, large;
# writes "LABEL login_ms rps portal_ms history_ms" to $TMP/result-DRIVER-SIZE
measure() {
    start_apache "$1" "$(cat "$TMP/params-small")" small "$PORT"
    start_apache "$1" "$(cat "$TMP/params-large")" large "$((PORT + 1))"
    for size in small large; do
        for f in logins rps portal history; do : >"$TMP/$f-$size"; done
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        for size in small large; do
            set -- "$1" $(login_once "$(base_of $size)" $size)
            [ "$2" = 303 ] || die "login on $1-$size answered $2"
            echo "$3" >>"$TMP/logins-$size"
        done
    done
    for size in small large; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $(cat "$TMP/cookie-$size")" "$(base_of $size)/seances/1k.txt")" = 200 ] ||
            die "the session cookie does not open /seances/ on $1-$size"
    done
    for _ in 1 2 3; do
        for size in small large; do
            wrk -t1 -c8 -d5s -H "Cookie: $(cat "$TMP/cookie-$size")" "$(base_of $size)/seances/1k.txt" |
                awk '/^Requests\/sec/ { print int($2) }' >>"$TMP/rps-$size"
        done
    done
    if [ "$HAS_PORTAL" = 1 ]; then
        for _ in $(seq 1 20); do
            for size in small large; do
                curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $(cat "$TMP/cookie-$size")" \
                    "$(base_of $size)/portal" >>"$TMP/portal-$size"
            done
        done
    fi
    stop_apache small
    stop_apache large
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        for size in small large; do
            t0=$(ms_now)
            "$ADMIN" --dbd "$1" --db "$(cat "$TMP/params-$size")" history "$USER_NAME" >/dev/null
            echo $(($(ms_now) - t0)) >>"$TMP/history-$size"
        done
    done
    for size in small large; do
        login_ms=$(median <"$TMP/logins-$size" | awk '{ printf "%.1f", $1 * 1000 }')
        rps=$(median <"$TMP/rps-$size")
        portal_ms=-
        [ "$HAS_PORTAL" = 0 ] || portal_ms=$(median <"$TMP/portal-$size" | awk '{ printf "%.1f", $1 * 1000 }')
        history_ms=$(median <"$TMP/history-$size")
        echo "$1-$size $login_ms $rps $portal_ms $history_ms" >"$TMP/result-$1-$size"
    done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == 0) print "-"; else printf "%.2f", b / a }'; }
verdict() { awk -v r="$1" 'BEGIN { if (r == "-") print ""; else print (r <= 1.2) ? "PASS" : "MISS" }'; }

OUT="$ROOT/bench/results/scale-$(date -u +%Y-%m-%d-%H%M).txt"
mkdir -p "$ROOT/bench/results"
{
    echo "mod_seances_auth scale benchmark, $(date -u '+%Y-%m-%d %H:%M:%S +0000')"
    echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); code $(git -C "$ROOT" describe --always --dirty 2>/dev/null)"
    echo "small: users events sessions = $SMALL; large: $LARGE; session cache off"
    echo ""
} >"$OUT"

for driver in $DRIVERS; do
    for size in small large; do
        eval "set -- \$$(echo "$size" | tr a-z A-Z)"
        log "$driver, $size: generating $1 users, $2 events, $3 sessions"
        t0=$(ms_now)
        if [ "$driver" = sqlite3 ]; then
            params="$TMP/$size.db"
            rm -f "$params"*
            generate sqlite3 "$params" "$1" "$2" "$3"
            chown "$RUNAS:$RUNAS" "$TMP" "$params"*
        else
            $PG start
            DBNAME="seances_scale_$size"
            $PG createdb "$DBNAME"
            params=$($PG params "$DBNAME")
            generate pgsql "$params" "$1" "$2" "$3"
        fi
        log "$driver, $size: generated in $(( ($(ms_now) - t0) / 1000 )) s"
        echo "$params" >"$TMP/params-$size"
    done
    log "$driver: measuring both sizes, alternately"
    measure "$driver"
    cat "$TMP/result-$driver-small" "$TMP/result-$driver-large" >&2
    set -- $(cat "$TMP/result-$driver-small") $(cat "$TMP/result-$driver-large")
    # fields: label login rps portal history (small: $1..$5, large: $6..$10)
    r_login=$(ratio "$2" "$7")
    r_rps=$(ratio "$8" "$3") # fewer requests per second is worse: small/large
    r_portal=$(ratio "$4" "$9")
    r_hist=$(ratio "$5" "${10}")
    {
        echo "$driver                       small        large    large/small"
        printf '  login POST (ms)        %9s    %9s    %5s  %s\n' "$2" "$7" "$r_login" "$(verdict "$r_login")"
        printf '  session check (req/s)  %9s    %9s    %5s  %s\n' "$3" "$8" "$r_rps" "$(verdict "$r_rps")"
        printf '  portal GET (ms)        %9s    %9s    %5s  %s\n' "$4" "$9" "$r_portal" "$(verdict "$r_portal")"
        printf '  history CLI (ms)       %9s    %9s    %5s  %s\n' "$5" "${10}" "$r_hist" "$(verdict "$r_hist")"
        echo ""
    } >>"$OUT"
    [ "$driver" != pgsql ] || $PG stop >/dev/null
    rm -f "$TMP"/*.db "$TMP"/*.db-*
done
cat "$OUT"
echo "report written to ${OUT#"$ROOT"/}"
