#!/bin/sh
# Benchmark of mod_seances_auth (design.md §8).  Run from the project directory:
#   make -f Makefile.apxs bench        (or: sh bench/run.sh, after "make -f Makefile.apxs all")
# One Apache (event MPM) on 127.0.0.1 serves the same 1 KiB file at /open/ (no auth),
# /seances/ (AuthType Seances, live cookie from a real login) and /form-site/ (stock
# mod_auth_form + mod_session_crypto, cookie from a real login).  It measures
#   1. req/s with wrk -t1 -c16, rounds interleaved over the three locations;
#   2. instructions per request with callgrind on apache2 -X (difference of two request counts);
#   3. login POST time against one argon2id hash, and unknown-user vs wrong-password POST times;
#   4. the 2FA QR code's rendering time.
# The report goes to stdout and to bench/results/YYYY-MM-DD-HHMM.txt.  A missed target is
# reported (MISS) but does not fail the run; a broken setup (no 200, no cookie) does.
#
# Knobs (environment): BENCH_ROUNDS (3), BENCH_DURATION (5s), BENCH_CONNS (16),
# BENCH_CG_N1 (50), BENCH_CG_N2 (250), BENCH_LOGINS (10), BENCH_FAILS (20 of each kind),
# BENCH_PORT (first port tried, 8090), BENCH_KEEP=1 keeps the temporary directory.
# shellcheck disable=SC2015,SC2034,SC2046,SC2154  # A && B || die; variables read through eval; set -- $(...)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-5s}
CONNS=${BENCH_CONNS:-16}
CG_N1=${BENCH_CG_N1:-50}
CG_N2=${BENCH_CG_N2:-250}
LOGINS=${BENCH_LOGINS:-10}
FAILS=${BENCH_FAILS:-20}
APACHE2=${APACHE2:-/usr/sbin/apache2}
# BENCH_SESSION_CACHE: SeancesSessionCache for this run (default: the module's, shmcb)
SESSION_CACHE=${BENCH_SESSION_CACHE:-}
MODDIR=/usr/lib/apache2/modules
SO="$ROOT/.libs/mod_seances_auth.so"
ADMIN="$ROOT/seances-admin"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }

# ---- packages --------------------------------------------------------------------------
need_pkgs() {
    missing=""
    for p in wrk valgrind apache2-utils apache2-bin curl; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        log "installing:$missing"
        [ "$(id -u)" = 0 ] || die "run as root (apt-get) or install:$missing"
        apt-get update -q
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    fi
}
need_pkgs
[ "$(id -u)" = 0 ] || die "run as root: Apache starts as root and drops to the Apache user"
[ -f "$SO" ] && [ -x "$ADMIN" ] || die "build first: make -f Makefile.apxs all"

if id www-data >/dev/null 2>&1; then RUNAS=www-data; else RUNAS=nobody; fi
RUNGROUP=$(id -gn "$RUNAS")

# ---- temporary directory, report file, cleanup ---------------------------------------------
TMP=$(mktemp -d /tmp/seances-bench.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$ROOT/bench/results"
STAMP=$(date +%Y-%m-%d-%H%M)
OUT="$ROOT/bench/results/$STAMP.txt"
: >"$OUT"
MAIN_PID=""
CG_PID=""

stop_pid() { # pid: SIGTERM, wait up to 30 s, then SIGKILL
    [ -n "$1" ] || return 0
    kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$1" 2>/dev/null; then
        log "pid $1 did not stop, killing it"
        kill -KILL "$1" 2>/dev/null || true
    fi
}

cleanup() {
    rc=$?
    stop_pid "$CG_PID"
    stop_pid "$MAIN_PID"
    [ "$WITH_PG" = 0 ] || sh "$ROOT/test/pg.sh" stop >/dev/null 2>&1 || true
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ $rc != 0 ]; then
        log "temporary files kept in $TMP"
    else
        rm -rf "$TMP"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { printf '%s\n' "$*" | tee -a "$OUT"; }

# ---- small numeric helpers (awk) ---------------------------------------------------------
median() { # numbers on stdin, one a line
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
verdict() { # condition as awk expression → PASS or MISS
    awk "BEGIN { print (($1) ? \"PASS\" : \"MISS\") }"
}
now_ns() { date +%s%N; }

# ---- free port --------------------------------------------------------------------------
port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
PORT=${BENCH_PORT:-8090}
while :; do
    case $PORT in 8080 | 8098 | 8529 | 8530) PORT=$((PORT + 1)); continue ;; esac
    port_free "$PORT" && break
    PORT=$((PORT + 1))
    [ "$PORT" -lt 8200 ] || die "no free port between ${BENCH_PORT:-8090} and 8199"
done
BASE="http://127.0.0.1:$PORT"
next_free_port() { # after PORT → a free port not yet taken
    q=$(($1 + 1))
    while ! port_free "$q" || [ "$q" = 8529 ] || [ "$q" = 8530 ]; do q=$((q + 1)); done
    echo "$q"
}
# the same Apache also listens on a server with SeancesSessionRecheck 0 (no session cache) and,
# unless BENCH_PGSQL=0, on one whose database is PostgreSQL
PORT_NC=$(next_free_port "$PORT")
PORT_PG=$(next_free_port "$PORT_NC")
BASE_NC="http://127.0.0.1:$PORT_NC"
BASE_PG="http://127.0.0.1:$PORT_PG"
WITH_PG=${BENCH_PGSQL:-1}
export SEANCES_PG_PORT="${BENCH_PG_PORT:-25498}"

# ---- content, users, configuration ------------------------------------------------------------
mkdir -p "$TMP/htdocs" "$TMP/db" "$TMP/run" "$TMP/logs" "$TMP/cg"
# exactly 1024 bytes of text
awk 'BEGIN { for (i = 0; i < 16; i++) printf "%063d\n", i }' >"$TMP/htdocs/1k.txt"
[ "$(wc -c <"$TMP/htdocs/1k.txt")" = 1024 ] || die "1k.txt is not 1024 bytes"
FILE=1k.txt

SEANCES_USER=benchuser
SEANCES_PW='correct-horse-battery-staple-42'
FORM_USER=formuser
FORM_PW='form-password-0123456789'
DB="$TMP/db/seances.db"
"$ADMIN" --db "$DB" init >/dev/null
printf '%s\n' "$SEANCES_PW" |
    "$ADMIN" --db "$DB" user add "$SEANCES_USER" --email bench@example.invalid --password-stdin >/dev/null
chown -R "$RUNAS:$RUNGROUP" "$TMP/db" "$TMP/cg"
PG_PARAMS=""
if [ "$WITH_PG" != 0 ]; then
    log "PostgreSQL on 127.0.0.1:$SEANCES_PG_PORT (test/pg.sh, a throwaway cluster)"
    sh "$ROOT/test/pg.sh" fresh >/dev/null
    sh "$ROOT/test/pg.sh" createdb seances_bench
    PG_PARAMS=$(sh "$ROOT/test/pg.sh" params seances_bench)
    "$ADMIN" --dbd pgsql --db "$PG_PARAMS" init >/dev/null
    printf '%s\n' "$SEANCES_PW" | "$ADMIN" --dbd pgsql --db "$PG_PARAMS" user add "$SEANCES_USER" \
        --email bench@example.invalid --password-stdin >/dev/null
fi
htpasswd -B -c -b "$TMP/htpasswd" "$FORM_USER" "$FORM_PW" 2>/dev/null
chmod 644 "$TMP/htpasswd"

CONF="$TMP/httpd.conf"
cat >"$CONF" <<EOF
# generated by bench/run.sh
ServerRoot "$TMP"
ServerName 127.0.0.1
Listen 127.0.0.1:$PORT
Listen 127.0.0.1:$PORT_NC
$([ "$WITH_PG" = 0 ] || echo "Listen 127.0.0.1:$PORT_PG")
PidFile "$TMP/run/apache2.pid"
DefaultRuntimeDir "$TMP/run"
ErrorLog "$TMP/logs/error.log"
LogLevel warn
User $RUNAS
Group $RUNGROUP
# Debian's defaults (apache2.conf, mods-available/mpm_event.conf)
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
StartServers 2
MinSpareThreads 25
MaxSpareThreads 75
ThreadLimit 64
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0

LoadModule authn_core_module     $MODDIR/mod_authn_core.so
LoadModule authz_core_module     $MODDIR/mod_authz_core.so
LoadModule authz_user_module     $MODDIR/mod_authz_user.so
LoadModule authn_file_module     $MODDIR/mod_authn_file.so
LoadModule dbd_module            $MODDIR/mod_dbd.so
LoadModule socache_shmcb_module  $MODDIR/mod_socache_shmcb.so
LoadModule request_module        $MODDIR/mod_request.so
LoadModule session_module        $MODDIR/mod_session.so
LoadModule session_cookie_module $MODDIR/mod_session_cookie.so
LoadModule session_crypto_module $MODDIR/mod_session_crypto.so
LoadModule auth_form_module      $MODDIR/mod_auth_form.so
LoadModule mime_module           $MODDIR/mod_mime.so
LoadModule alias_module          $MODDIR/mod_alias.so
LoadModule seances_auth_module   "$SO"
TypesConfig /etc/mime.types
# no CustomLog: the access log is off

DocumentRoot "$TMP/htdocs"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "$TMP/htdocs">
    AllowOverride None
    Require all granted
</Directory>

# the same file at three places
Alias /open/ "$TMP/htdocs/"
Alias /seances/ "$TMP/htdocs/"
Alias /form-site/ "$TMP/htdocs/"

# ---- mod_seances_auth ----
DBDriver sqlite3
DBDParams "$DB"
SeancesCryptoPassphrase "bench-passphrase-0123456789abcdef"
# plain http here: no Secure attribute
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
# no throttling, so that it cannot distort the login timings
SeancesLockout 100000 1m 1s 100000
SeancesBaseURL $BASE
${SESSION_CACHE:+SeancesSessionCache $SESSION_CACHE}
<Location "/login">
    SetHandler seances-login
</Location>
<Location "/seances/">
    AuthType Seances
    AuthName "seances"
    Require valid-user
</Location>

# the same locations without the session cache: every request asks the database
<VirtualHost 127.0.0.1:$PORT_NC>
    SeancesSessionRecheck 0
</VirtualHost>
$([ "$WITH_PG" = 0 ] || printf '<VirtualHost 127.0.0.1:%s>\n    DBDriver pgsql\n    DBDParams "%s"\n</VirtualHost>\n' "$PORT_PG" "$PG_PARAMS")

# ---- stock mod_auth_form + mod_session_crypto ----
<Location "/form-site/">
    AuthType form
    AuthName "form-site"
    AuthFormProvider file
    AuthUserFile "$TMP/htpasswd"
    AuthFormSitePassphrase "form-site-passphrase-0123456789"
    Session On
    SessionCookieName form_session path=/;HttpOnly
    SessionCryptoPassphrase "form-crypto-passphrase-0123456789"
    Require valid-user
</Location>
<Location "/form-login">
    SetHandler form-login-handler
    AuthType form
    AuthName "form-site"
    AuthFormProvider file
    AuthUserFile "$TMP/htpasswd"
    AuthFormSitePassphrase "form-site-passphrase-0123456789"
    AuthFormLoginSuccessLocation "/form-site/$FILE"
    Session On
    SessionCookieName form_session path=/;HttpOnly
    SessionCryptoPassphrase "form-crypto-passphrase-0123456789"
    # without it the login POST gives 500 (design.md §9)
    Require all granted
</Location>
EOF

"$APACHE2" -t -f "$CONF" 2>"$TMP/configtest.log" || {
    cat "$TMP/configtest.log" >&2
    die "apache2 -t refused the generated configuration"
}

wait_listening() { # pid: until the port listens (or the process dies)
    i=0
    while port_free "$PORT"; do
        kill -0 "$1" 2>/dev/null || die "apache2 exited at start-up (see $TMP/logs/error.log)"
        [ $i -lt 1200 ] || die "apache2 did not listen on $PORT within 120 s"
        sleep 0.1
        i=$((i + 1))
    done
}

start_main() {
    "$APACHE2" -f "$CONF" -k start
    i=0
    while [ ! -s "$TMP/run/apache2.pid" ]; do
        [ $i -lt 100 ] || die "apache2 wrote no pid file"
        sleep 0.1
        i=$((i + 1))
    done
    MAIN_PID=$(cat "$TMP/run/apache2.pid")
    wait_listening "$MAIN_PID"
}

# ---- login helpers ----------------------------------------------------------------------------
# Sets CSRF_TOKEN and CSRF_COOKIE from GET /login on server base $1 (default $BASE).
get_csrf() {
    curl -s -D "$TMP/login-get.h" -o "$TMP/login-get.html" "${1:-$BASE}/login"
    CSRF_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: \(seances_session_csrf=[^;]*\).*/\1/p' "$TMP/login-get.h" |
        tr -d '\r' | head -n 1)
    CSRF_TOKEN=$(tr '>' '\n' <"$TMP/login-get.html" | grep 'name="csrf"' |
        sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1)
    [ -n "$CSRF_COOKIE" ] && [ -n "$CSRF_TOKEN" ] || die "GET /login gave no CSRF cookie/token"
}

# login_post USER PASSWORD HEADERFILE [BASE [remember]] → prints "status time_total"
login_post() {
    curl -s -o /dev/null -D "$3" -w '%{http_code} %{time_total}\n' \
        -H "Cookie: $CSRF_COOKIE" \
        --data-urlencode "username=$1" --data-urlencode "password=$2" \
        ${5:+--data-urlencode "remember=1"} \
        --data-urlencode "csrf=$CSRF_TOKEN" --data-urlencode "return=/seances/$FILE" \
        "${4:-$BASE}/login"
}

# log_in BASE [remember] → prints the session cookie of a real login on that server, or dies
log_in() {
    get_csrf "$1"
    set -- "$1" "${2:-}" $(login_post "$SEANCES_USER" "$SEANCES_PW" "$TMP/login-post.h" "$1" "${2:-}")
    [ "$3" = 303 ] || die "login POST on $1 answered $3, not 303"
    c=$(sed -n 's/^[Ss]et-[Cc]ookie: \(seances_session=[^;]*\).*/\1/p' "$TMP/login-post.h" |
        tr -d '\r' | head -n 1)
    [ -n "$c" ] && [ "$c" != "seances_session=" ] || die "login POST on $1 set no seances_session cookie"
    if [ -n "$2" ]; then
        grep -qi '^set-cookie: seances_session=.*max-age=' "$TMP/login-post.h" ||
            die "a login with \"Rester connecté\" set no lasting cookie"
    fi
    echo "$c"
}

# The measured locations: name → URL prefix and cookie. "remember" is /seances/ with a
# remembered session ("Rester connecté"), "nocache" the same with SeancesSessionRecheck 0,
# "pgsql" the same on the PostgreSQL server.
LOCATIONS="open seances remember nocache"
[ "$WITH_PG" = 0 ] || LOCATIONS="$LOCATIONS pgsql"
LOCATIONS="$LOCATIONS form"
url_of() {
    case $1 in
    open) echo "$BASE/open/" ;; seances | remember) echo "$BASE/seances/" ;;
    nocache) echo "$BASE_NC/seances/" ;; pgsql) echo "$BASE_PG/seances/" ;;
    form) echo "$BASE/form-site/" ;;
    esac
}
cookie_of() {
    case $1 in
    open) echo "" ;; seances | nocache) echo "$SEANCES_COOKIE" ;; remember) echo "$REMEMBER_COOKIE" ;;
    pgsql) echo "$PG_COOKIE" ;; form) echo "$FORM_COOKIE" ;;
    esac
}
label_of() {
    case $1 in
    open) echo "/open/" ;; seances) echo "/seances/" ;; remember) echo "  remembered" ;;
    nocache) echo "  cache none" ;; pgsql) echo "  PostgreSQL" ;; form) echo "/form-site/" ;;
    esac
}

# check_200 NAME → sets RESP_BYTES (header + body) or dies
check_200() {
    url=$(url_of "$1")$FILE
    cookie=$(cookie_of "$1")
    code_size=$(curl -s -o "$TMP/check.body" -w '%{http_code} %{size_header} %{size_download}' \
        ${cookie:+-H "Cookie: $cookie"} "$url")
    code=${code_size%% *}
    [ "$code" = 200 ] || die "$url answers $code, not 200"
    cmp -s "$TMP/check.body" "$TMP/htdocs/$FILE" || die "$url does not serve the 1 KiB file"
    RESP_BYTES=$(echo "$code_size" | awk '{ print $2 + $3 }')
}

# ---- start Apache, log in ----------------------------------------------------------------------
log "apache2 on $BASE (and $BASE_NC, $BASE_PG), temporary directory $TMP"
start_main

SEANCES_COOKIE=$(log_in "$BASE")
REMEMBER_COOKIE=$(log_in "$BASE" remember)
PG_COOKIE=""
[ "$WITH_PG" = 0 ] || PG_COOKIE=$(log_in "$BASE_PG")

curl -s -o /dev/null -D "$TMP/form-login.h" -w '%{http_code}' \
    --data-urlencode "httpd_username=$FORM_USER" --data-urlencode "httpd_password=$FORM_PW" \
    --data-urlencode "httpd_location=/form-site/$FILE" "$BASE/form-login" >"$TMP/form-login.code"
FORM_CODE=$(cat "$TMP/form-login.code")
case $FORM_CODE in 2?? | 3??) ;; *) die "form-login POST answered $FORM_CODE" ;; esac
FORM_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: \(form_session=[^;]*\).*/\1/p' "$TMP/form-login.h" |
    tr -d '\r' | head -n 1)
[ -n "$FORM_COOKIE" ] && [ "$FORM_COOKIE" != "form_session=" ] ||
    die "form-login POST set no form_session cookie"

# Every location must answer 200 with the file before anything is measured, and the
# protected ones must refuse a request without a cookie (else the benchmark measures nothing).
for n in $LOCATIONS; do
    check_200 "$n"
    eval "BYTES_$n=\$RESP_BYTES"
    [ "$n" = open ] && continue
    code=$(curl -s -o /dev/null -w '%{http_code}' "$(url_of "$n")$FILE")
    [ "$code" != 200 ] || die "$(url_of "$n")$FILE answers 200 without a cookie: not protected"
done

# ---- header of the report ---------------------------------------------------------------------
GIT_DESC=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
GIT_COMMIT=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
say "mod_seances_auth benchmark, $(date '+%Y-%m-%d %H:%M:%S %z')"
say "==============================================================="
say "machine:   $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -r)"
say "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the run)"
say "apache2:   $("$APACHE2" -v | sed -n 's/^Server version: //p'), event MPM, LogLevel warn, no access log"
say "openssl:   $(openssl version 2>/dev/null || echo '?'); sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
say "tools:     $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $(valgrind --version), libargon2 $(dpkg-query -W -f='${Version}' libargon2-1)"
say "code:      git describe $GIT_DESC, commit $GIT_COMMIT"
say "module:    $SO ($(stat -c %s "$SO") bytes, $(date -r "$SO" '+%Y-%m-%d %H:%M'))"
say "setup:     1 KiB file; /seances/ cookies from POST /login (sqlite3 db; on :$PORT_PG PostgreSQL); /form-site/ cookie"
say "           from POST form-login-handler (htpasswd -B, AuthFormSitePassphrase, no SessionMaxAge)"
say "session cache: ${SESSION_CACHE:-shmcb (the default)}, SeancesSessionRecheck 1s (the default); on :$PORT_NC SeancesSessionRecheck 0"
say ""

# ---- 1. throughput ------------------------------------------------------------------------------
cat >"$TMP/summary.lua" <<'EOF'
-- only done(): no per-request Lua, so wrk's speed is not affected
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKSUM %d %d %d %d %d %d %d\n", summary.requests, summary.bytes,
    e.status, e.connect, e.read, e.write, e.timeout))
end
EOF

run_wrk() { # name round
    out="$TMP/wrk-$1-$2.txt"
    url=$(url_of "$1")$FILE
    cookie=$(cookie_of "$1")
    if [ -n "$cookie" ]; then
        wrk -t1 -c"$CONNS" -d"$DURATION" -s "$TMP/summary.lua" -H "Cookie: $cookie" "$url" >"$out" 2>&1
    else
        wrk -t1 -c"$CONNS" -d"$DURATION" -s "$TMP/summary.lua" "$url" >"$out" 2>&1
    fi
    rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$out")
    set -- "$1" "$2" $(sed -n 's/^WRKSUM //p' "$out")
    [ $# = 9 ] && [ -n "$rps" ] || { cat "$out" >&2; die "cannot read wrk's output for $url"; }
    reqs=$3 bytes=$4 errs=$(($5 + $6 + $7 + $8 + $9))
    # wrk counts only status >= 400 as errors: a 302 would pass unnoticed, but its response
    # is far smaller than the file; every 200 here carries at least the 1024-byte body.
    per=$(calc "$bytes / ($reqs > 0 ? $reqs : 1)")
    if grep -q 'Non-2xx' "$out" || [ "$errs" != 0 ] || [ "$reqs" = 0 ] ||
        [ "$(verdict "$per < 1024")" = PASS ]; then
        cat "$out" >&2
        die "$url: wrk saw errors or non-200 responses ($errs errors, $per bytes/response)"
    fi
    echo "$rps" >>"$TMP/rps-$1"
    log "round $2 $1: $rps req/s ($reqs requests, $per bytes/response)"
}

log "throughput: $ROUNDS rounds over: $LOCATIONS; wrk -t1 -c$CONNS -d$DURATION"
r=1
while [ $r -le "$ROUNDS" ]; do
    for n in $LOCATIONS; do run_wrk "$n" $r; done
    r=$((r + 1))
done
# the cookies must still be good after the runs
for n in $LOCATIONS; do check_200 "$n"; done

for n in $LOCATIONS; do eval "RPS_$n=\$(median <\"\$TMP/rps-$n\")"; done
R_seances=$(calc "$RPS_seances / $RPS_open")
R_form_vs=$(calc "$RPS_seances / $RPS_form")

say "1. Throughput: wrk -t1 -c$CONNS -d$DURATION, $ROUNDS interleaved rounds, median req/s"
say "   (every response checked: 0 errors, >= 1024 bytes each; curl 200 before and after)"
for n in $LOCATIONS; do
    eval "med=\$RPS_$n; b=\$BYTES_$n"
    rounds=$(tr '\n' ' ' <"$TMP/rps-$n")
    say "$(printf '   %-14s %8.0f req/s  %5.3f x /open/   rounds: %s (%s bytes/response)' \
        "$(label_of "$n")" "$med" "$(calc "$med / $RPS_open")" "$rounds" "$b")"
done
say "$(printf '   seances/open   = %.3f   target >= 0.90  %s' "$R_seances" "$(verdict "$R_seances >= 0.90")")"
say "$(printf '   seances/form-site = %.1f   target >= 8     %s' "$R_form_vs" "$(verdict "$R_form_vs >= 8")")"
say "   (remembered, cache none and PostgreSQL are /seances/ variants, for comparison; the"
say "   PostgreSQL server runs on this machine with fsync=off, test/pg.sh)"
say ""

# ---- 3. login timings (on the same Apache) ----------------------------------------------------
log "login timings: $LOGINS successful POSTs, $FAILS unknown-user + $FAILS wrong-password POSTs"
get_csrf
# warm-up: database connections, prepared statements, first key derivations
for i in 1 2; do
    login_post "$SEANCES_USER" "$SEANCES_PW" "$TMP/h" >/dev/null
    login_post nosuchuser-warmup 'wrong-password-123456' "$TMP/h" >/dev/null
done
# A successful login against one argon2id verification by the module's own code
# (build/core-time), alternately, so that other load on the machine slows both alike.
CORE_TIME="$ROOT/build/core-time"
: >"$TMP/t-ok"
: >"$TMP/t-hash"
i=0
while [ $i -lt "$LOGINS" ]; do
    "$CORE_TIME" hash 1 >>"$TMP/t-hash"
    set -- $(login_post "$SEANCES_USER" "$SEANCES_PW" "$TMP/h")
    [ "$1" = 303 ] || die "successful login POST answered $1"
    echo "$2" >>"$TMP/t-ok"
    i=$((i + 1))
done
: >"$TMP/t-unknown"
: >"$TMP/t-wrong"
i=0
while [ $i -lt "$FAILS" ]; do
    set -- $(login_post "nosuchuser$i" 'wrong-password-123456' "$TMP/h")
    case $1 in 2?? | 4??) ;; *) die "unknown-user login POST answered $1" ;; esac
    CODE_unknown=$1
    echo "$2" >>"$TMP/t-unknown"
    set -- $(login_post "$SEANCES_USER" 'wrong-password-123456' "$TMP/h")
    case $1 in 2?? | 4??) ;; *) die "wrong-password login POST answered $1" ;; esac
    CODE_wrong=$1
    echo "$2" >>"$TMP/t-wrong"
    i=$((i + 1))
done
# the 2FA enrolment's QR code (PNG), rendered by the module's code
"$CORE_TIME" qr 200 >"$TMP/t-qr"
T_ok=$(median <"$TMP/t-ok")
T_unknown=$(median <"$TMP/t-unknown")
T_wrong=$(median <"$TMP/t-wrong")
T_hash=$(median <"$TMP/t-hash")
T_qr=$(median <"$TMP/t-qr")
T_qr_max=$(sort -g "$TMP/t-qr" | tail -n 1)
R_login=$(calc "$T_ok / $T_hash")
R_uw=$(calc "$T_unknown / $T_wrong")
ms() { calc "$1 * 1000"; }

# ---- 2. instructions per request (callgrind on apache2 -X) ------------------------------------
log "stopping the benchmark Apache"
stop_pid "$MAIN_PID"
MAIN_PID=""

# Callgrind dumps once just before the child stops (--dump-before=ap_run_child_stopping): that
# file holds start-up plus the requests, without the shutdown, whose cost varies from run to
# run (apache2 -X under valgrind sometimes dies of SIGSEGV in its exit handlers, with or
# without our module, and then skips OpenSSL's cleanup).
cg_run() { # name n → $TMP/cg/name-n.out.1 and the total Ir in $TMP/cg/name-n.ir
    set -- "$1" "$(url_of "$1")$FILE" "$(cookie_of "$1")" "$2"
    cgout="$TMP/cg/$1-$4.out"
    port_free "$PORT" || die "port $PORT is busy: cannot start apache2 -X"
    # callgrind writes its files after Apache has switched to $RUNAS: they must exist and
    # belong to that user
    for f in "$cgout" "$cgout.1"; do
        : >"$f"
        chown "$RUNAS:$RUNGROUP" "$f"
    done
    # apache2 -X cannot remove its pid file once it runs as $RUNAS
    rm -f "$TMP/run/apache2.pid"
    valgrind --tool=callgrind --dump-instr=no --dump-before=ap_run_child_stopping \
        --callgrind-out-file="$cgout" "$APACHE2" -X -f "$CONF" >"$TMP/cg/$1-$4.log" 2>&1 &
    CG_PID=$!
    wait_listening "$CG_PID"
    if [ "$1" = login ]; then
        # n successful login POSTs (303 each), with one CSRF token from one GET /login
        get_csrf
        printf 'username=%s&password=%s&csrf=%s&return=%%2Fseances%%2F%s' "$SEANCES_USER" \
            "$SEANCES_PW" "$(printf '%s' "$CSRF_TOKEN" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')" \
            "$FILE" >"$TMP/cg/login.body"
        ab -q -s 600 -n "$4" -c 1 -p "$TMP/cg/login.body" -T application/x-www-form-urlencoded \
            -H "Cookie: $CSRF_COOKIE" "$BASE/login" >"$TMP/cg/$1-$4.ab" 2>&1 || true
    elif [ -n "$3" ]; then
        ab -k -q -s 600 -n "$4" -c 1 -H "Cookie: $3" "$2" >"$TMP/cg/$1-$4.ab" 2>&1 || true
    else
        ab -k -q -s 600 -n "$4" -c 1 "$2" >"$TMP/cg/$1-$4.ab" 2>&1 || true
    fi
    stop_pid "$CG_PID"
    wait "$CG_PID" 2>/dev/null || true
    CG_PID=""
    # a login answers 303: ab counts those as "Non-2xx", and every one of them must be
    if [ "$1" = login ]; then non2xx="^Non-2xx responses:[[:space:]]*$4\$"; else non2xx='^Non-2xx'; fi
    grep -q "^Complete requests:[[:space:]]*$4\$" "$TMP/cg/$1-$4.ab" &&
        grep -q '^Failed requests:[[:space:]]*0$' "$TMP/cg/$1-$4.ab" &&
        { [ "$1" = login ] && grep -q "$non2xx" "$TMP/cg/$1-$4.ab" ||
            { [ "$1" != login ] && ! grep -q "$non2xx" "$TMP/cg/$1-$4.ab"; }; } || {
        cat "$TMP/cg/$1-$4.ab" >&2
        die "callgrind run $1 n=$4: not all requests answered as they should (200; a login 303)"
    }
    grep -q '^desc: Trigger: --dump-before' "$cgout.1" ||
        die "callgrind made no dump before the child stopped (see $TMP/cg/$1-$4.log)"
    ir=$(sed -n 's/^\(summary\|totals\): *\([0-9][0-9]*\).*/\2/p' "$cgout.1" | head -n 1)
    [ -n "$ir" ] || die "no summary/totals line in $cgout.1"
    echo "$ir" >"$TMP/cg/$1-$4.ir"
}

log "instructions: callgrind on apache2 -X, $CG_N1 and $CG_N2 requests per location (slow)"
# /open/, /seances/ with the session cache and without, and stock /form-site/
CG_LOCATIONS="open seances nocache form"
for n in $CG_LOCATIONS; do
    loc=$(url_of "$n")
    cg_run "$n" "$CG_N1"
    cg_run "$n" "$CG_N2"
    ir1=$(cat "$TMP/cg/$n-$CG_N1.ir")
    ir2=$(cat "$TMP/cg/$n-$CG_N2.ir")
    per=$(calc "($ir2 - $ir1) / ($CG_N2 - $CG_N1)")
    eval "IR_$n=\$per; IR1_$n=\$ir1; IR2_$n=\$ir2"
    log "$loc: Ir($CG_N1)=$ir1 Ir($CG_N2)=$ir2 -> $per per request"
done
# A login POST against one argon2id verification, in instructions: unlike wall time, not
# distorted by other load on the machine. (Ir(3) - Ir(1)) / 2 for each.
log "instructions: 1 and 3 login POSTs under callgrind, 1 and 3 argon2id verifications (slow)"
cg_run login 1
cg_run login 3
IR_login=$(calc "($(cat "$TMP/cg/login-3.ir") - $(cat "$TMP/cg/login-1.ir")) / 2")
for n in 1 3; do
    valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$TMP/cg/hash-$n.out" \
        "$ROOT/build/core-time" hash $n >/dev/null 2>"$TMP/cg/hash-$n.log" ||
        die "core-time hash $n failed under callgrind (see $TMP/cg/hash-$n.log)"
    sed -n 's/^\(summary\|totals\): *\([0-9][0-9]*\).*/\2/p' "$TMP/cg/hash-$n.out" | head -n 1 >"$TMP/cg/hash-$n.ir"
done
IR_hash=$(calc "($(cat "$TMP/cg/hash-3.ir") - $(cat "$TMP/cg/hash-1.ir")) / 2")
RI_login=$(calc "$IR_login / $IR_hash")
log "login: $IR_login Ir, hash: $IR_hash Ir"

# ---- where the instructions go --------------------------------------------------------------
# Per-function cost per request: the same difference of two runs, function by function, so that
# start-up (Apache, OpenSSL, the module's key derivation) drops out.
annotate() { # callgrind.out [inclusive] → "Ir<TAB>function" lines
    callgrind_annotate --auto=no --threshold=100 ${2:+--inclusive=yes} "$1" 2>/dev/null |
        awk 'match($0, /^ *[0-9][0-9,]* \( *[0-9.]+%\)  /) {
            n = $1; gsub(",", "", n); print n "\t" substr($0, RSTART + RLENGTH) }'
}
per_request() { # name [inclusive] → "Ir/request<TAB>function", largest first
    annotate "$TMP/cg/$1-$CG_N1.out.1" ${2:+"$2"} >"$TMP/cg/$1-a.prof"
    annotate "$TMP/cg/$1-$CG_N2.out.1" ${2:+"$2"} >"$TMP/cg/$1-b.prof"
    awk -F'\t' -v d=$((CG_N2 - CG_N1)) 'NR == FNR { a[$2] = $1; next } { b[$2] = $1 }
        END { for (k in b) { v = (b[k] - a[k]) / d; if (v >= 0.5) printf "%.0f\t%s\n", v, k } }' \
        "$TMP/cg/$1-a.prof" "$TMP/cg/$1-b.prof" | sort -t"$(printf '\t')" -k1,1nr
}
# the module, and what it calls: OpenSSL, sqlite through apr_dbd and mod_dbd, argon2
OURS='mod_seances_auth|/work/main/|/src/(sa|web|handle)_|libcrypto|libsqlite3|apr_dbd_sqlite3|mod_dbd|libargon2'
show() { # lines of "Ir<TAB>name" on stdin → indented report lines
    awk -F'\t' '{ printf "   %10s  %s\n", $1, $2 }' | cut -c1-160 | tee -a "$OUT"
}
# callgrind may list a function twice (once under its source path alone, once with its object):
# keep the first (largest) line per function name, or per address and object for unnamed code
dedupe() {
    awk -F'\t' '{ k = $2; sub(/ \[.*\]$/, "", k); sub(/^.*:/, "", k)
        if (k ~ /^0x/) k = $2
        if (!(k in seen)) { seen[k] = 1; print } }'
}
for n in $CG_LOCATIONS; do
    per_request "$n" inclusive >"$TMP/cg/$n-incl.txt"
    # cross-check: the same difference for the request processing alone (inclusive cost of
    # ap_run_process_connection in the worker thread: no start-up, no listener, no idle time)
    w=$(awk -F'\t' '$2 ~ /:ap_run_process_connection / { print $1; exit }' "$TMP/cg/$n-incl.txt")
    eval "W_$n=\${w:-0}"
done
I_seances=$(calc "$IR_seances / $IR_open")
I_form=$(calc "$IR_form / $IR_open")
WI_seances=$(calc "$W_seances / ($W_open > 0 ? $W_open : 1)")
WI_form=$(calc "$W_form / ($W_open > 0 ? $W_open : 1)")

say "2. Instructions per request: callgrind (--dump-instr=no) on apache2 -X, ab -k -c1:"
say "   (Ir($CG_N2 requests) - Ir($CG_N1 requests)) / $((CG_N2 - CG_N1)), whole process up to the child's stop;"
say "   cross-check: the same for ap_run_process_connection (inclusive), i.e. the worker alone"
for n in $CG_LOCATIONS; do
    eval "per=\$IR_$n; a=\$IR1_$n; b=\$IR2_$n; w=\$W_$n"
    say "$(printf '   %-14s %10.0f Ir/request  (worker %11.0f)   totals %s / %s' "$(label_of "$n")" "$per" "$w" "$a" "$b")"
done
say "$(printf '   seances/open   = %.3f   (worker %.3f)   target <= 1.5   %s' "$I_seances" "$WI_seances" \
    "$(verdict "$I_seances <= 1.5")")"
say "$(printf '   nocache/open   = %.3f   (every request asks the database, for comparison)' "$(calc "$IR_nocache / $IR_open")")"
say "$(printf '   form-site/open = %.3f   (worker %.3f)   (stock, for comparison)' "$I_form" "$WI_form")"
# The session cache's share: what a lookup costs in the request (the shmcb retrieval and the
# global mutex around it), against the indexed query that "cache none" makes instead.
incl_of() { # name function → inclusive Ir per request (0 when absent)
    awk -F'\t' -v f="$2" '{ k = $2; sub(/ \[.*\]$/, "", k); sub(/^.*:/, "", k) }
        k == f { print $1; found = 1; exit } END { if (!found) print 0 }' "$TMP/cg/$1-incl.txt"
}
C_find=$(incl_of seances web_session_cache_find)
C_get=$(incl_of seances socache_get)
C_lock=$(calc "$(incl_of seances apr_global_mutex_lock) + $(incl_of seances apr_global_mutex_unlock)")
C_query=$(incl_of nocache sa_store_session_get)
say "$(printf '   the session cache per request: lookup %s Ir (shmcb retrieval %s Ir, of which the' "$C_find" "$C_get")"
say "$(printf '   global mutex %s Ir); without the cache the session query costs %s Ir' "$C_lock" "$C_query")"
say ""

say "3. Login (POST /login, curl time_total, medians; SeancesLockout 100000 1m 1s 100000)"
say '   one argon2id verification, m=19456 KiB t=2 p=1 (module code, build/core-time,'
say "$(printf '     alternating with the logins), median of %s: %.1f ms' "$LOGINS" "$(ms "$T_hash")")"
say "$(printf '   successful login POST (303), median of %s:  %.1f ms' "$LOGINS" "$(ms "$T_ok")")"
say "$(printf '   login / hash   = %.3f   (wall time: other load on the machine weighs on it)' "$R_login")"
say "$(printf '   in instructions (callgrind, (Ir(3) - Ir(1)) / 2): login POST %.0f Ir, one verification %.0f Ir' "$IR_login" "$IR_hash")"
say "$(printf '   login / hash   = %.3f   target <= 1.10  %s' "$RI_login" "$(verdict "$RI_login <= 1.10")")"
say "$(printf '   unknown user (%s), median of %s:  %.1f ms' "$CODE_unknown" "$FAILS" "$(ms "$T_unknown")")"
say "$(printf '   wrong password (%s), median of %s: %.1f ms' "$CODE_wrong" "$FAILS" "$(ms "$T_wrong")")"
say "$(printf '   unknown/wrong  = %.3f   target 0.90 .. 1.10  %s' "$R_uw" \
    "$(verdict "$R_uw >= 1 / 1.10 && $R_uw <= 1.10")")"
say ""
say "4. The 2FA enrolment QR code (PNG, sa_qr_png, a 160-bit secret in an otpauth URI)"
say "$(printf '   median of 200 renderings: %.3f ms (slowest %.3f ms)   target < 2 ms  %s' \
    "$(ms "$T_qr")" "$(ms "$T_qr_max")" "$(verdict "$T_qr < 0.002")")"
say ""

per_request seances >"$TMP/cg/seances-self.txt"
per_request open >"$TMP/cg/open-self.txt"
say "5. Where the instructions of /seances/ go (callgrind, Ir per request = difference of the"
say "   $CG_N2- and $CG_N1-request runs, function by function)"
say "   top 20 by self cost, all code:"
grep -v 'PROGRAM TOTALS' "$TMP/cg/seances-self.txt" | dedupe | head -n 20 | show
say "   top 20 by self cost, mod_seances_auth and its libraries (OpenSSL, sqlite, mod_dbd):"
grep -v 'PROGRAM TOTALS' "$TMP/cg/seances-self.txt" | grep -E "$OURS" | dedupe | head -n 20 | show
say "   top 25 inclusive, mod_seances_auth and its libraries:"
grep -v 'PROGRAM TOTALS' "$TMP/cg/seances-incl.txt" | grep -E "$OURS" | dedupe | head -n 25 | show
say "   top 15 self-cost increases over /open/ (Ir per request, /seances/ minus /open/):"
awk -F'\t' 'NR == FNR { a[$2] = $1; next } { v = $1 - a[$2]; if (v >= 1) printf "%d\t%s\n", v, $2 }' \
    "$TMP/cg/open-self.txt" "$TMP/cg/seances-self.txt" | grep -v 'PROGRAM TOTALS' |
    sort -t"$(printf '\t')" -k1,1nr | dedupe | head -n 15 | show
say ""

# the error log should be empty at LogLevel warn, apart from start-up notices
if grep -v -e 'AH00489' -e 'AH00094' -e 'AH00492' -e 'AH00493' "$TMP/logs/error.log" |
    grep -q -e '\[[a-z_]*:\(warn\|error\|crit\|alert\|emerg\)\]'; then
    say "error log (warnings and worse, first 10):"
    grep -e ':warn\]' -e ':error\]' -e ':crit\]' -e ':alert\]' -e ':emerg\]' "$TMP/logs/error.log" |
        head -n 10 | cut -c1-200 | sed 's/^/   /' | tee -a "$OUT"
    say ""
fi
say "load after the run: $(cut -d' ' -f1-3 /proc/loadavg); other work on this machine makes req/s and login"
say "times noisy (instruction counts are not affected)"
say "report written to bench/results/$STAMP.txt"
