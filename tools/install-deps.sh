#!/bin/sh
# Installs the Debian 12 packages that building, the demo and the tests need, if missing.
set -eu
# "install-deps.sh package": what "make deb" and "make package-test" need instead (the build
# dependencies of debian/control, debhelper, lintian, and debootstrap for the test's chroot).
if [ "${1:-}" = package ]; then
    PKGS="apache2-dev libaprutil1-dbd-sqlite3 libargon2-dev libqrencode-dev libesmtp-dev
libpng-dev libssl-dev libutf8proc-dev gcc make libc6-dev debhelper dpkg-dev fakeroot lintian
debootstrap curl sqlite3"
else
PKGS="apache2-bin apache2-dev libapache2-mod-perl2 libwww-perl libaprutil1-dbd-sqlite3
libaprutil1-dbd-pgsql libsqlite3-dev libargon2-dev libqrencode-dev libesmtp-dev libpng-dev libssl-dev
apache2-utils sqlite3 gcc make libc6-dev valgrind oathtool zbar-tools wrk python3-aiosmtpd locales openssl
postgresql chromium chromium-driver fail2ban libutf8proc-dev tzdata
clang libclang-rt-14-dev"
# Node.js (for the browser tests) may come from elsewhere on the machine; only Debian's
# is installed when there is none.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "install-deps: run as root (apt-get) or install:$missing" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
# The PostgreSQL half of the tests also uses a database whose locale is not C (test/TEST).
if ! locale -a 2>/dev/null | grep -qix 'fr_CH.utf8'; then
    if [ "$(id -u)" != 0 ]; then
        echo "install-deps: run as root (localedef) or generate the locale fr_CH.UTF-8" >&2
        exit 1
    fi
    echo "generating the locale fr_CH.UTF-8"
    localedef -i fr_CH -c -f UTF-8 fr_CH.UTF-8
fi
