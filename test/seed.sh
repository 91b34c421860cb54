#!/bin/sh
# Test users for the Apache::Test suite, created through the CLI like an admin would.
# Usage: seed.sh [--dbd sqlite3|pgsql] DATABASE
set -eu
dbd=sqlite3
if [ "${1:-}" = --dbd ]; then
    dbd=$2
    shift 2
fi
db=$1
top=$(cd "$(dirname "$0")/.." && pwd)
admin() { "$top/seances-admin" --dbd "$dbd" --db "$db" "$@" >/dev/null; }
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
# portal (issue 7): paul sees every section, pia changes her password, nina has no grant,
# ines has both apps; a name with markup must show as text
printf '%s\n' 'sees the whole portal 2026' | admin user add paul --email paul.meier@example.ch --password-stdin
admin grant paul seances
printf '%s\n' 'changes it soon enough 2026' | admin user add pia --email pia.rossi@example.ch --password-stdin
printf '%s\n' 'has no app at all here 7' | admin user add nina --email nina@example.ch --password-stdin
printf '%s\n' 'may use both apps here 8' | admin user add ines --email ines@example.ch --password-stdin
admin grant ines seances
admin grant ines agenda
printf '%s\n' 'markup in the name 2026' | admin user add '<b>mallory</b>' --email mallory@example.ch --password-stdin
admin grant '<b>mallory</b>' seances
# a name with letters beyond ASCII, in UTF-8 (25_names.t)
printf '%s\n' 'Zoë a un mot de passe 7' | admin user add 'Zoë Brändli' --email zoe@example.ch --password-stdin
