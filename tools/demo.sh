#!/bin/sh
# The demo: the "App pour les séances" (htdocs/app) behind AuthType Seances, on one Apache that
# runs from a generated configuration, with a demo user and a local SMTP sink for the mails.
#
#   sh tools/demo.sh               Apache in the foreground, logs and mails on the terminal;
#                                  Ctrl-C stops everything (make -f Makefile.apxs demo)
#   sh tools/demo.sh --background  starts Apache and the sink, returns once Apache answers
#   sh tools/demo.sh --stop        stops what --background started
#
# Environment: DEMO_PORT (8080), DEMO_DIR (demo/ in the source tree), DEMO_SMTP_PORT (2525).
# Everything is generated under DEMO_DIR: httpd.conf, seances.db, passphrase, demo-password,
# logs/ and run/. The passphrase and the database are kept between runs; the demo user's
# password is new at every start (also written to DEMO_DIR/demo-password, mode 600).
# Nothing here contacts a host outside 127.0.0.1.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
APACHE2=${APACHE2:-/usr/sbin/apache2}
PYTHON=/usr/bin/python3 # Debian's: python3-aiosmtpd is installed for it, not for other builds
MODULES=/usr/lib/apache2/modules
PORT=${DEMO_PORT:-8080}
SMTP_PORT=${DEMO_SMTP_PORT:-2525}
DIR=${DEMO_DIR:-$ROOT/demo}
DEMO_USER=demo
DEMO_EMAIL=demo@demo.invalid
RUN_USER=www-data

say() { printf '%s\n' "demo: $*"; }
die() { printf '%s\n' "demo: $*" >&2; exit 1; }

usage() {
    cat <<EOF
usage: sh tools/demo.sh [--background | --stop]
  (no option)    run Apache in the foreground on http://127.0.0.1:\$DEMO_PORT/ (Ctrl-C stops)
  --background   start Apache and the SMTP sink, return once Apache answers
  --stop         stop the Apache and the sink that --background started
environment: DEMO_PORT (8080), DEMO_DIR (demo/), DEMO_SMTP_PORT (2525)
EOF
}

mode=foreground
case "${1:-}" in
"") ;;
--background) mode=background ;;
--stop) mode=stop ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

check_port() {
    case "$2" in
    '' | *[!0-9]*) die "$1 must be a port number, not '$2'" ;;
    esac
    if [ "$2" -lt 1 ] || [ "$2" -gt 65535 ]; then
        die "$1 must be a port number, not '$2'"
    fi
}
check_port DEMO_PORT "$PORT"
check_port DEMO_SMTP_PORT "$SMTP_PORT"
[ "$PORT" != "$SMTP_PORT" ] || die "DEMO_PORT and DEMO_SMTP_PORT must differ"
case "$DIR" in
*'"'* | *'\'* | *'
'*) die "DEMO_DIR must not contain quotes, backslashes or newlines" ;;
esac
case "$ROOT" in
*'"'* | *'\'*) die "the source tree's path must not contain quotes or backslashes" ;;
esac

# ---- helpers ---------------------------------------------------------------------------

# Exit status 0 when something answers HTTP on 127.0.0.1:PORT (any status code counts).
# The proxy handler is emptied so that an http_proxy in the environment is never used.
http_answers() {
    "$PYTHON" - "$1" <<'EOF'
import sys, urllib.error, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    opener.open("http://127.0.0.1:%s/seances-status" % sys.argv[1], timeout=2).read()
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)
EOF
}

# Exit status 0 when something accepts TCP connections on 127.0.0.1:PORT.
tcp_answers() {
    "$PYTHON" - "$1" <<'EOF'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)
EOF
}

# The pid in FILE if that process is alive and its command line contains WORD.
live_pid() {
    [ -f "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2" || return 1
    printf '%s\n' "$pid"
}

# Sends SIGTERM to the process in PIDFILE (if it is still the one we started) and waits.
stop_pidfile() {
    if pid=$(live_pid "$1" "$2"); then
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while [ -d "/proc/$pid" ] && [ $i -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if [ -d "/proc/$pid" ]; then
            say "$3 (pid $pid) did not stop within 10 s: killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        say "$3 stopped"
    fi
    rm -f "$1"
}

stop_background() {
    [ -d "$DIR" ] || { say "nothing to stop in $DIR"; return 0; }
    DIR=$(cd "$DIR" && pwd)
    stop_pidfile "$DIR/run/httpd.pid" "$DIR/httpd.conf" "Apache"
    stop_pidfile "$DIR/run/smtp.pid" "sink.py" "SMTP sink"
}

if [ "$mode" = stop ]; then
    stop_background
    exit 0
fi

# ---- preconditions ---------------------------------------------------------------------

[ "$(id -u)" = 0 ] || die "run as root: Apache binds the port and then runs as $RUN_USER"
[ -x "$APACHE2" ] || die "$APACHE2 is missing: make -f Makefile.apxs deps"
[ -x "$PYTHON" ] || die "$PYTHON is missing: make -f Makefile.apxs deps"
"$PYTHON" -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is missing: make -f Makefile.apxs deps"
command -v openssl >/dev/null 2>&1 || die "openssl is missing"
id "$RUN_USER" >/dev/null 2>&1 || die "there is no user $RUN_USER (Debian's apache2 packages create it)"
if [ ! -f "$ROOT/.libs/mod_seances_auth.so" ] || [ ! -x "$ROOT/seances-admin" ]; then
    die "build first: make -f Makefile.apxs all"
fi

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
ADMIN="$ROOT/seances-admin"
DB="$DIR/seances.db"

if pid=$(live_pid "$DIR/run/httpd.pid" "$DIR/httpd.conf"); then
    die "an Apache of this demo already runs (pid $pid): sh tools/demo.sh --stop${DEMO_DIR:+ (with DEMO_DIR=$DEMO_DIR)}"
fi
if tcp_answers "$PORT"; then
    die "port $PORT on 127.0.0.1 is in use: choose another with DEMO_PORT=..."
fi
if tcp_answers "$SMTP_PORT"; then
    die "port $SMTP_PORT on 127.0.0.1 (the SMTP sink) is in use: choose another with DEMO_SMTP_PORT=..."
fi

mkdir -p "$DIR/logs" "$DIR/run"
rm -f "$DIR/run/httpd.pid" "$DIR/run/smtp.pid"

# ---- secrets, database, demo user -------------------------------------------------------

if [ ! -s "$DIR/passphrase" ]; then
    (umask 077 && openssl rand -hex 32 >"$DIR/passphrase")
fi
chown root:root "$DIR/passphrase"
chmod 600 "$DIR/passphrase"

# 20 letters and digits: well above the 12-character minimum, easy to copy.
PASSWORD=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-20)
[ ${#PASSWORD} -eq 20 ] || die "could not make a random password"

"$ADMIN" --db "$DB" init >/dev/null || die "seances-admin init failed for $DB"
if "$ADMIN" --db "$DB" user show "$DEMO_USER" >/dev/null 2>&1; then
    printf '%s\n' "$PASSWORD" | "$ADMIN" --db "$DB" user passwd "$DEMO_USER" --password-stdin >/dev/null
    "$ADMIN" --db "$DB" user enable "$DEMO_USER" >/dev/null
    "$ADMIN" --db "$DB" unlock "$DEMO_USER" >/dev/null
else
    printf '%s\n' "$PASSWORD" |
        "$ADMIN" --db "$DB" user add "$DEMO_USER" --email "$DEMO_EMAIL" --password-stdin >/dev/null
fi
"$ADMIN" --db "$DB" grant "$DEMO_USER" seances >/dev/null
(umask 077 && printf '%s\n' "$PASSWORD" >"$DIR/demo-password")
chmod 600 "$DIR/demo-password"

# sqlite writes its journal beside the database: Apache's user needs the directory too.
chown "$RUN_USER:$RUN_USER" "$DIR" "$DB"
chmod 600 "$DB"
for f in "$DB"-journal "$DB"-wal "$DB"-shm; do
    [ ! -e "$f" ] || chown "$RUN_USER:$RUN_USER" "$f"
done

# ---- httpd.conf --------------------------------------------------------------------------

CONF="$DIR/httpd.conf"
cat >"$CONF.tmp" <<EOF
# Generated by tools/demo.sh at every start: edit the script, not this file.
# Run in the foreground with -D DEMO_FOREGROUND (logs on the terminal), else logs in logs/.
ServerRoot "$DIR"
ServerName 127.0.0.1:$PORT
Listen 127.0.0.1:$PORT
PidFile "$DIR/run/httpd.pid"
DefaultRuntimeDir "$DIR/run"
User $RUN_USER
Group $RUN_USER

# Debian's modules, each after the ones it needs (as test/conf/modules.conf);
# mod_log_config and mod_unixd are built in.
LoadModule mpm_event_module     $MODULES/mod_mpm_event.so
LoadModule authn_core_module    $MODULES/mod_authn_core.so
LoadModule authz_core_module    $MODULES/mod_authz_core.so
LoadModule authz_host_module    $MODULES/mod_authz_host.so
LoadModule authz_user_module    $MODULES/mod_authz_user.so
LoadModule dbd_module           $MODULES/mod_dbd.so
LoadModule socache_shmcb_module $MODULES/mod_socache_shmcb.so
LoadModule headers_module       $MODULES/mod_headers.so
LoadModule mime_module          $MODULES/mod_mime.so
LoadModule dir_module           $MODULES/mod_dir.so
LoadModule include_module       $MODULES/mod_include.so
LoadModule alias_module         $MODULES/mod_alias.so
LoadModule seances_auth_module  "$ROOT/.libs/mod_seances_auth.so"

StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 5
MaxSpareThreads 50
Timeout 30
KeepAlive On
ServerTokens Prod
ServerSignature Off
TraceEnable Off
TypesConfig /etc/mime.types
AddDefaultCharset utf-8

LogLevel warn seances_auth:info
LogFormat "%h %u %t \"%r\" %>s %b %D\"us\" \"%{User-Agent}i\"" demo
<IfDefine DEMO_FOREGROUND>
    ErrorLog /dev/stderr
    CustomLog /dev/stdout demo
</IfDefine>
<IfDefine !DEMO_FOREGROUND>
    ErrorLog "$DIR/logs/error.log"
    CustomLog "$DIR/logs/access.log" demo
</IfDefine>

# ---- storage: sqlite through mod_dbd ----
DBDriver sqlite3
DBDParams "$DB"

# ---- mod_seances_auth ----
SeancesCryptoPassphraseFile "$DIR/passphrase"
# plain http on the loopback: no Secure attribute (behind TLS: __Host-seances_session ... Secure)
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
SeancesBaseURL http://127.0.0.1:$PORT
SeancesSMTPServer 127.0.0.1:$SMTP_PORT
SeancesSMTPFrom seances@demo.invalid
SeancesSMTPStartTLS off
SeancesApp seances "App pour les séances" /
SeancesIssuer "App pour les séances"
SeancesTimeZone Europe/Zurich
# the organisation and its logo on every page of the module
SeancesOrganisation "Commune de Vaudrens" "$ROOT/htdocs/app/vaudrens.svg"

# ---- the meeting app, with the user's name through SSI (mod_include) ----
DocumentRoot "$ROOT/htdocs/app"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "$ROOT/htdocs/app">
    Options IncludesNOEXEC
    AllowOverride None
    DirectoryIndex index.html
    AddOutputFilter INCLUDES .html
    # the pages carry the user's name: no shared caches, revalidate every time
    <Files "*.html">
        Header set Cache-Control "private, no-cache"
    </Files>
</Directory>

# Everything needs a login, and the grant of the app (seances-admin grant NAME seances): the
# same grant the portal lists under "Applications"...
<Location "/">
    AuthType Seances
    AuthName "Séances"
    Require seances-app seances
    AuthzSendForbiddenOnFailure On
    # the app's errors on the module's themed page, in the user's language
    ErrorDocument 403 /seances-error
    ErrorDocument 404 /seances-error
    ErrorDocument 429 /seances-error
    ErrorDocument 503 /seances-error
</Location>
# two statuses the demo cannot otherwise show on demand, to see their themed pages
Redirect 503 /demo/unavailable
Redirect 429 /demo/too-many
# ...except the module's own pages (later sections override earlier ones).
<Location "/login">
    SetHandler seances-login
    AuthType None
    Require all granted
</Location>
<Location "/logout">
    SetHandler seances-logout
    AuthType None
    Require all granted
</Location>
<Location "/seances-whoami">
    SetHandler seances-whoami
    AuthType None
    Require all granted
</Location>
# the operators' counters: the demo listens on 127.0.0.1 only
<Location "/seances-status">
    SetHandler seances-status
    AuthType None
    Require ip 127.0.0.1 ::1
</Location>
# two-factor authentication: reached with a session, or in a forced enrolment (no session yet)
<Location "/2fa/setup">
    SetHandler seances-2fa-setup
    AuthType None
    Require all granted
</Location>
# "Mot de passe oublié ?": open to everyone; the mails go to the SMTP sink, printed below
<Location "/forgot">
    SetHandler seances-forgot
    AuthType None
    Require all granted
</Location>
<Location "/reset">
    SetHandler seances-reset
    AuthType None
    Require all granted
</Location>
# "Mon portail" (the user menu): signed-in users only, it sends everyone else to the login
<Location "/portal">
    SetHandler seances-portal
    AuthType None
    Require all granted
</Location>
<Location "/seances-error">
    SetHandler seances-error
    AuthType None
    Require all granted
</Location>
# the module's pages and the app link the module's favicon; an old browser asking for this
# one gets a plain 404, not a redirect
<Location "/favicon.ico">
    AuthType None
    Require all granted
</Location>
EOF
mv "$CONF.tmp" "$CONF"

"$APACHE2" -t -d "$DIR" -f "$CONF" >"$DIR/logs/configtest.log" 2>&1 || {
    cat "$DIR/logs/configtest.log" >&2
    die "the generated $CONF does not pass apache2 -t"
}

# ---- the SMTP sink -------------------------------------------------------------------------

SINK_PID=""
APACHE_PID=""

# Starts the sink (test/smtp/sink.py: aiosmtpd writing the Maildir $DIR/mail and printing each
# mail) as nobody (setpriv execs, so $! is the sink itself); its output (the mails) goes to the
# file $1, or to stdout without one.
start_sink() {
    mkdir -p "$DIR/mail"
    chown nobody:nogroup "$DIR/mail" 2>/dev/null || true
    if [ -n "${1:-}" ]; then
        PYTHONUNBUFFERED=1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
            "$PYTHON" "$ROOT/test/smtp/sink.py" --port "$SMTP_PORT" --maildir "$DIR/mail" \
            --print </dev/null >>"$1" 2>&1 &
    else
        PYTHONUNBUFFERED=1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
            "$PYTHON" "$ROOT/test/smtp/sink.py" --port "$SMTP_PORT" --maildir "$DIR/mail" \
            --print </dev/null &
    fi
    SINK_PID=$!
    echo "$SINK_PID" >"$DIR/run/smtp.pid"
    i=0
    until tcp_answers "$SMTP_PORT"; do
        kill -0 "$SINK_PID" 2>/dev/null || die "the SMTP sink did not start (port $SMTP_PORT)"
        [ $i -lt 50 ] || die "the SMTP sink does not answer on port $SMTP_PORT"
        sleep 0.2
        i=$((i + 1))
    done
}

banner() {
    cat <<EOF

  App pour les séances (mod_seances_auth demo)
    URL       http://127.0.0.1:$PORT/
    user      $DEMO_USER
    password  $PASSWORD
    2FA       http://127.0.0.1:$PORT/2fa/setup (any RFC 6238 app, e.g. Google Authenticator)
    mails     SMTP sink on 127.0.0.1:$SMTP_PORT ($1)
    files     $DIR
    stop      $2

EOF
}

if [ "$mode" = background ]; then
    stop_sink_on_failure() {
        [ -z "$SINK_PID" ] || kill -TERM "$SINK_PID" 2>/dev/null || true
        rm -f "$DIR/run/smtp.pid"
    }
    trap 'stop_sink_on_failure' EXIT
    start_sink "$DIR/logs/mail.log"
    "$APACHE2" -d "$DIR" -f "$CONF" -k start
    i=0
    until http_answers "$PORT"; do
        if [ $i -ge 100 ]; then
            tail -n 20 "$DIR/logs/error.log" >&2 2>/dev/null || true
            stop_pidfile "$DIR/run/httpd.pid" "$DIR/httpd.conf" "Apache"
            die "Apache does not answer on port $PORT (see $DIR/logs/error.log)"
        fi
        sleep 0.2
        i=$((i + 1))
    done
    live_pid "$DIR/run/httpd.pid" "$DIR/httpd.conf" >/dev/null || die "Apache is not running (see $DIR/logs/error.log)"
    trap - EXIT
    banner "logs/mail.log" "sh tools/demo.sh --stop${DEMO_DIR:+ with DEMO_DIR=$DEMO_DIR}"
    exit 0
fi

# ---- foreground ----------------------------------------------------------------------------

cleanup() {
    trap - EXIT INT TERM
    if [ -n "$APACHE_PID" ] && kill -0 "$APACHE_PID" 2>/dev/null; then
        kill -TERM "$APACHE_PID" 2>/dev/null || true
        wait "$APACHE_PID" 2>/dev/null || true
    fi
    if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then
        kill -TERM "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
    fi
    rm -f "$DIR/run/smtp.pid"
    say "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_sink ""
banner "mails are printed here" "Ctrl-C (stops Apache and the SMTP sink)"
# In the background of this shell so that the traps run at once on Ctrl-C or SIGTERM; Apache
# installs its own SIGINT handler, so Ctrl-C reaches it too.
"$APACHE2" -D FOREGROUND -D DEMO_FOREGROUND -d "$DIR" -f "$CONF" &
APACHE_PID=$!
status=0
wait "$APACHE_PID" || status=$?
APACHE_PID=""
exit "$status"
