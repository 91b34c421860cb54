#!/bin/sh
# Test users for the Apache::Test suite, created through the CLI like an admin would.
# Usage: seed.sh DATABASE
set -eu
db=$1
top=$(cd "$(dirname "$0")/.." && pwd)
admin() { "$top/seances-admin" --db "$db" "$@" >/dev/null; }
printf '%s\n' 'correct horse battery staple' | admin user add alice --email alice@example.ch --password-stdin
printf '%s\n' 'the builder has a passphrase 2026' | admin user add bob --email bob@example.ch --password-stdin
printf '%s\n' 'disabled for now 99 ok' | admin user add carol --email carol@example.ch --password-stdin
admin user disable carol
admin grant alice seances
# a user imported from htpasswd with a bcrypt hash, rehashed at first login
tmp=$(mktemp)
htpasswd -nbB dave 'dave legacy password 1' > "$tmp"
admin import-htpasswd "$tmp"
rm -f "$tmp"
