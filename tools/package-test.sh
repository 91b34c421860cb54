#!/bin/bash
# make -f Makefile.apxs package-test: the Debian package as an admin meets it, on a clean
# Debian 12 root made with debootstrap (kept as a tarball in build/package-test, so a second
# run skips debootstrap; the apt archives are kept there too).
#
#   install ./deb with apt, a2enmod, a user, apachectl -t, Apache on 127.0.0.1:PKGTEST_PORT,
#   a login with curl, 200 behind AuthType Seances; upgrade to a package one version higher
#   whose build has one more schema migration: the migration ran, the user and the session
#   (the same cookie) still work; remove: the data is kept, and a new installation uses it;
#   purge: the data is gone.
#
# Root only (chroot, mount). Environment: PKGTEST_PORT (8450), PKGTEST_MIRROR and
# PKGTEST_SECURITY_MIRROR (Debian's, as in /etc/apt/sources.list.d/debian.sources).
# Ends with "N passed, N failed"; exit 1 on a failure. The root stays in build/package-test/root
# for a look after a failure; the next run removes it.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=$TOP/build/package-test
ROOT=$WORK/root
BASE=$WORK/debian12-minbase.tar.gz
LOGS=$WORK/logs
PORT=${PKGTEST_PORT:-8450}
MIRROR=${PKGTEST_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${PKGTEST_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
PKG=libapache2-mod-seances-auth
DB=/var/lib/seances/seances.db
PASSPHRASE=/etc/apache2/seances.passphrase
USER_PW='Velo rouge au bord du lac'
URL=http://127.0.0.1:$PORT
passed=0
failed=0

step() { printf '\n== %s  [%ds]\n' "$*" "$SECONDS"; }
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' $((passed + failed)) "$1"; }
fail() { failed=$((failed + 1)); printf 'not ok %d - %s\n' $((passed + failed)) "$1"; }
# check "what" command...: one test; its output is shown only when it fails
check() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
# is "what" expected actual
is() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1"; printf '#   expected: %s\n#   got:      %s\n' "$2" "$3"; fi
}
die() { echo "package-test: $*" >&2; exit 1; }

# A command inside the root, with a clean environment.
in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
# A logged step inside the root; stops the test when it fails (later checks depend on it).
must() {
    local log=$LOGS/$1.log
    shift
    if ! in_root "$@" >"$log" 2>&1; then
        tail -30 "$log"
        die "failed: $* (log: $log)"
    fi
}

# ---- mounts and Apache: cleaned up on every exit ----------------------------------------

mounts_under_root() { awk -v r="$ROOT/" 'index($2 "/", r) == 1 { print $2 }' /proc/mounts | sort -r; }

stop_apache() {
    local pidfile=$ROOT/run/apache2/apache2.pid pid
    [ -s "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    in_root apache2ctl stop >/dev/null 2>&1 || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill "$pid" 2>/dev/null || true # the Apache this test started, by its pid
}

cleanup() {
    local rc=$?
    [ -d "$ROOT" ] && stop_apache
    for m in $(mounts_under_root); do umount "$m" || umount -l "$m" || true; done
    printf '\npackage-test: %d s in all\n' "$SECONDS"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Never remove a root that still has /dev or /proc mounted in it.
remove_root() {
    for m in $(mounts_under_root); do umount "$m" || umount -l "$m"; done
    [ -z "$(mounts_under_root)" ] || die "mounts left under $ROOT: not removing it"
    rm -rf "$ROOT"
}

# ---- the two packages -------------------------------------------------------------------

# The second package: the same tree, one version higher, with one more schema migration (an
# index), so that the upgrade has a migration to run.
make_newer_tree() {
    local src=$1 dir=$2 version=$3 schema
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf -) | tar -C "$dir" -xf -
    schema=$(sed -n 's/^#define SA_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$dir/src/store/store.h")
    [ -n "$schema" ] || die "no SA_SCHEMA_VERSION in src/store/store.h"
    NEW_SCHEMA=$((schema + 1))
    sed -i "s/^#define SA_SCHEMA_VERSION $schema\$/#define SA_SCHEMA_VERSION $NEW_SCHEMA/" \
        "$dir/src/store/store.h"
    sed -i "s/^    {0, NULL, NULL, NULL}};/    {$NEW_SCHEMA, \"package test\", \"CREATE INDEX IF NOT EXISTS package_test ON users(created)\", NULL},\n&/" \
        "$dir/src/core/schema.c"
    grep -q '"package test"' "$dir/src/core/schema.c" || die "could not add a migration to schema.c"
    {
        printf '%s (%s) bookworm; urgency=medium\n\n' "$PKG" "$version"
        printf '  * Package test: the next version, with schema version %d.\n\n' "$NEW_SCHEMA"
        printf ' -- %s  %s\n\n' "$(sed -n 's/^ -- \(.*>\)  .*/\1/p;T;q' "$dir/debian/changelog")" "$(date -R)"
        cat "$dir/debian/changelog"
    } >"$dir/debian/changelog.new"
    mv "$dir/debian/changelog.new" "$dir/debian/changelog"
}

build_packages() {
    step "building the packages"
    V1=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
    V2=$V1+pkgtest1
    build_one "$TOP" v1
    DEB1=$DEB
    make_newer_tree "$TOP" "$WORK/v2-src" "$V2"
    SKIP_LINTIAN=1 build_one "$WORK/v2-src" v2
    DEB2=$DEB
    echo "(the second one has schema version $NEW_SCHEMA)"
}

# tools/build-deb.sh (dpkg-buildpackage and lintian): sets DEB
build_one() {
    local log=$LOGS/build-$2.log
    sh "$TOP/tools/build-deb.sh" "$1" "$WORK/$2" >"$log" 2>&1 || { tail -30 "$log"; die "build failed (log: $log)"; }
    DEB=$(tail -1 "$log")
    [ -f "$DEB" ] || die "no package from $1 (log: $log)"
    grep '^[EWIN]: ' "$log" || true # lintian's findings (errors and warnings fail the build)
    echo "$DEB"
}

# ---- the Debian 12 root -----------------------------------------------------------------

make_base() {
    [ -s "$BASE" ] && return 0
    step "debootstrap bookworm (once; cached in $BASE)"
    local tmp=$WORK/bootstrap-tmp
    rm -rf "$tmp"
    debootstrap --variant=minbase --include=curl bookworm "$tmp" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 ||
        { tail -20 "$LOGS/debootstrap.log"; die "debootstrap failed"; }
    tar -C "$tmp" --numeric-owner -czf "$BASE.tmp" .
    mv "$BASE.tmp" "$BASE"
    rm -rf "$tmp"
}

make_root() {
    step "a fresh root from $BASE"
    remove_root
    mkdir -p "$ROOT" "$WORK/apt-archives/partial"
    tar -C "$ROOT" --numeric-owner -xzf "$BASE"
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
        "$MIRROR" "$MIRROR" "$SECURITY_MIRROR" >"$ROOT/etc/apt/sources.list"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # no init system here: services are started by hand, never by maintainer scripts
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 755 "$ROOT/usr/sbin/policy-rc.d"
    mount -t proc proc "$ROOT/proc"
    mount -t sysfs sysfs "$ROOT/sys"
    mount --bind /dev "$ROOT/dev"
    mount --bind /dev/pts "$ROOT/dev/pts"
    mount --bind "$WORK/apt-archives" "$ROOT/var/cache/apt/archives"
    must apt-update apt-get update --error-on=any # a mirror out of reach stops here
}

# ---- HTTP ---------------------------------------------------------------------------------

wait_http() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "$URL/" && return 0
        sleep 0.1
    done
    return 1
}

start_apache() {
    must apache-start apache2ctl start
    wait_http || die "Apache does not answer on $URL (see $ROOT/var/log/apache2/error.log)"
}

# status of a GET with the cookie jar in the root (/root/jar)
http_status() { in_root curl -s -o /dev/null -w '%{http_code}' -b /root/jar -c /root/jar "$URL$1"; }

login() {
    local csrf out
    in_root rm -f /root/jar
    in_root curl -s -b /root/jar -c /root/jar -o /root/login.html "$URL/login?return=/app/"
    csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$ROOT/root/login.html")
    [ -n "$csrf" ] && pass "the login form has a csrf token" || fail "the login form has a csrf token"
    out=$(in_root curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b /root/jar -c /root/jar \
        --data-urlencode "csrf=$csrf" --data-urlencode "return=/app/" \
        --data-urlencode "username=anne" --data-urlencode "password=$USER_PW" "$URL/login")
    is "the login answers 303 to /app/" "303 $URL/app/" "$out"
}

session_cookie() { awk '$6 == "seances_session" { print $7 }' "$ROOT/root/jar"; }

# ---- the test -----------------------------------------------------------------------------

[ "$(id -u)" = 0 ] || die "run as root (chroot and mount)"
mkdir -p "$LOGS"
build_packages
make_base
make_root

step "apt install ./$(basename "$DEB1")"
cp "$DEB1" "$DEB2" "$ROOT/tmp/"
must install-v1 sh -c "cd /tmp && apt install -y ./$(basename "$DEB1")"
is "installed, version $V1" "install ok installed $V1" "$(in_root dpkg-query -W -f='${Status} ${Version}' $PKG)"
for f in /usr/lib/apache2/modules/mod_seances_auth.so /etc/apache2/mods-available/seances_auth.load \
    /etc/apache2/mods-available/seances_auth.conf /usr/sbin/seances-admin \
    /usr/share/man/man8/seances-admin.8.gz /usr/share/man/man8/mod_seances_auth.8.gz \
    /usr/share/seances/schema/schema-sqlite3.sql /usr/share/seances/schema/schema-pgsql.sql \
    /usr/share/seances/templates/login.html; do
    check "the package holds $f" test -s "$ROOT$f"
done
check "apache2 came with it (Recommends)" test -x "$ROOT/usr/sbin/apache2"
is "/var/lib/seances: www-data, 0750" "www-data:www-data 750" "$(in_root stat -c '%U:%G %a' /var/lib/seances)"
is "the database: www-data, 0640" "www-data:www-data 640" "$(in_root stat -c '%U:%G %a' $DB)"
is "the passphrase file: root, 0600" "root:root 600" "$(in_root stat -c '%U:%G %a' $PASSPHRASE)"
check "the passphrase file holds one long secret" \
    test "$(grep -v '^#' "$ROOT$PASSPHRASE" | awk 'length($0) >= 40' | wc -l)" = 1
is "seances-admin --version" "seances-admin $V1" "$(in_root seances-admin --version)"
check "seances-admin check passes" in_root seances-admin --db $DB check
check "the man pages name every command and directive" \
    sh -c "zcat '$ROOT/usr/share/man/man8/mod_seances_auth.8.gz' | grep -q SeancesCryptoPassphraseFile &&
           zcat '$ROOT/usr/share/man/man8/seances-admin.8.gz' | grep -q '^\.BR check'"
check "not enabled by the installation" sh -c "! chroot '$ROOT' a2query -q -m seances_auth"

step "a2enmod seances_auth; Apache on $URL"
must a2enmod a2enmod seances_auth
check "a2enmod enabled the module" in_root a2query -q -m seances_auth
check "and mod_dbd with it" in_root a2query -q -m dbd
check "and mod_socache_shmcb, for the session cache" in_root a2query -q -m socache_shmcb
printf 'Listen 127.0.0.1:%s\n' "$PORT" >"$ROOT/etc/apache2/ports.conf"
printf 'ServerName localhost\n' >"$ROOT/etc/apache2/conf-available/servername.conf"
must a2dissite a2dissite 000-default
must a2enconf-servername a2enconf servername
check "apachectl -t with the module's own .conf" in_root apachectl -t
start_apache
is "enabling protects nothing: / answers 200" 200 "$(http_status /)"
is "and places no page: /login is 404" 404 "$(http_status /login)"

step "a protected location, a user, a login"
mkdir -p "$ROOT/var/www/html/app"
echo "package test: the protected page" >"$ROOT/var/www/html/app/index.html"
cat >"$ROOT/etc/apache2/conf-available/seances-test.conf" <<'EOF'
# the lines the module's .conf shows; over plain http, a cookie without Secure
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
<Location "/login">
    SetHandler seances-login
</Location>
<Location "/logout">
    SetHandler seances-logout
</Location>
<Location "/app/">
    AuthType Seances
    AuthName "Seances"
    Require valid-user
</Location>
EOF
must a2enconf-test a2enconf seances-test
printf '%s\n' "$USER_PW" >"$ROOT/tmp/pw"
must user-add sh -c "seances-admin --db $DB user add anne --email anne@example.ch --password-stdin </tmp/pw"
rm -f "$ROOT/tmp/pw"
check "apachectl -t with a protected location" in_root apachectl -t
stop_apache
start_apache
status=$(in_root curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/app/")
is "without a session /app/ redirects to the login" "302 $URL/login?return=%2Fapp%2F" "$status"
login
is "with the session cookie /app/ answers 200" 200 "$(http_status /app/)"
check "and it is the protected page" sh -c "chroot '$ROOT' curl -s -b /root/jar '$URL/app/' | grep -q 'the protected page'"
COOKIE=$(session_cookie)
check "the browser holds a session cookie" test -n "$COOKIE"

step "upgrade to $V2"
sum_before=$(sha256sum "$ROOT$PASSPHRASE")
must install-v2 sh -c "cd /tmp && apt install -y ./$(basename "$DEB2")"
is "upgraded, version $V2" "install ok installed $V2" "$(in_root dpkg-query -W -f='${Status} ${Version}' $PKG)"
is "seances-admin --version follows" "seances-admin $V2" "$(in_root seances-admin --version)"
check "the postinst ran the migration" \
    grep -q "database migrated from schema version $((NEW_SCHEMA - 1)) to $NEW_SCHEMA" "$LOGS/install-v2.log"
check "the postinst asked for an Apache restart (the chroot's policy-rc.d refused it)" \
    grep -q "policy-rc.d denied execution of restart" "$LOGS/install-v2.log"
is "the database records schema version $NEW_SCHEMA" "$NEW_SCHEMA" \
    "$(sqlite3 "$ROOT$DB" 'SELECT version FROM schema_version')"
is "the migration's index exists" package_test \
    "$(sqlite3 "$ROOT$DB" "SELECT name FROM sqlite_master WHERE name = 'package_test'")"
check "migrate --dry-run has nothing left to do" \
    sh -c "chroot '$ROOT' seances-admin --db $DB migrate --dry-run | grep -q 'nothing to do'"
check "seances-admin check passes" in_root seances-admin --db $DB check
is "the passphrase is the same" "$sum_before" "$(sha256sum "$ROOT$PASSPHRASE")"
is "the database: still www-data, 0640" "www-data:www-data 640" "$(in_root stat -c '%U:%G %a' $DB)"
is "/var/lib/seances: still www-data, 0750" "www-data:www-data 750" "$(in_root stat -c '%U:%G %a' /var/lib/seances)"
check "the module is still enabled" in_root a2query -q -m seances_auth
check "the user is still there" sh -c "chroot '$ROOT' seances-admin --db $DB user list | grep -q '^anne'"
stop_apache # the new module needs a new Apache (policy-rc.d kept the postinst from it)
start_apache
is "the same cookie still opens /app/ (200)" 200 "$(http_status /app/)"
is "and it is still the same cookie" "$COOKIE" "$(session_cookie)"
login
is "the user logs in again after the upgrade" 200 "$(http_status /app/)"

step "apt remove"
stop_apache
must a2disconf-test a2disconf seances-test # its directives need the module
must remove apt remove -y $PKG
is "removed, configuration kept" "deinstall ok config-files" "$(in_root dpkg-query -W -f='${Status}' $PKG)"
check "the module is gone" test ! -e "$ROOT/usr/lib/apache2/modules/mod_seances_auth.so"
check "and disabled" test ! -e "$ROOT/etc/apache2/mods-enabled/seances_auth.load"
check "the database is kept" test -s "$ROOT$DB"
is "with its user" anne "$(sqlite3 "$ROOT$DB" 'SELECT name FROM users')"
is "and its sessions" 1 "$(sqlite3 "$ROOT$DB" 'SELECT count(*) > 0 FROM sessions')"
check "the passphrase file is kept" test -s "$ROOT$PASSPHRASE"
check "apachectl -t passes without the module" in_root apachectl -t

step "apt install again over the kept data"
sum_before=$(sha256sum "$ROOT$PASSPHRASE")
must reinstall sh -c "cd /tmp && apt install -y ./$(basename "$DEB2")"
is "installed again" "install ok installed $V2" "$(in_root dpkg-query -W -f='${Status} ${Version}' $PKG)"
check "the user is still there" sh -c "chroot '$ROOT' seances-admin --db $DB user list | grep -q '^anne'"
is "the passphrase was not replaced" "$sum_before" "$(sha256sum "$ROOT$PASSPHRASE")"
check "seances-admin check passes" in_root seances-admin --db $DB check
check "the module stays disabled until a2enmod" sh -c "! chroot '$ROOT' a2query -q -m seances_auth"

step "apt purge"
must purge apt purge -y $PKG
is "purged" "" "$(in_root dpkg-query -W -f='${Status}' $PKG 2>/dev/null || true)"
check "the database is gone" test ! -e "$ROOT/var/lib/seances"
check "the passphrase file is gone" test ! -e "$ROOT$PASSPHRASE"
check "the .load and .conf are gone" sh -c "! ls '$ROOT'/etc/apache2/mods-available/seances_auth.* 2>/dev/null"
check "no stat override is left" sh -c "! chroot '$ROOT' dpkg-statoverride --list /var/lib/seances"
check "apachectl -t passes" in_root apachectl -t

printf '\n%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
