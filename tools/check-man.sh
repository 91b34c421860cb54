#!/bin/sh
# The manual pages keep up with the code: every directive of src/cfg/directives.h has an entry
# (a .TP heading) in man/mod_seances_auth.8, every command of seances-admin (the table in
# src/cli/main.c) one in man/seances-admin.8, and groff reads both pages without a warning.
set -eu
cd "$(dirname "$0")/.."
status=0

# The .TP/.TQ headings of a page, as plain text: "SeancesLockout n window ban [n-per-address]".
headings() {
    awk '/^\.T[PQ]/ { grab = 1; next }
         grab { grab = 0; print }' "$1" |
        sed -e 's/^\.[A-Z]* *//' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' -e 's/"//g'
}

directives=$(sed -n 's/^#define CFG_[A-Z_]* "\(Seances[A-Za-z]*\)"$/\1/p' src/cfg/directives.h)
[ -n "$directives" ] || { echo "check-man: no directive found in src/cfg/directives.h"; exit 1; }
module_headings=$(headings man/mod_seances_auth.8)
for d in $directives; do
    if ! printf '%s\n' "$module_headings" | grep -q "^$d\( \|$\)"; then
        echo "check-man: directive $d has no entry in man/mod_seances_auth.8"
        status=1
    fi
done

# {"user", "add", 1, cli_user_add} -> "user add"; {"init", NULL, 0, run_init} -> "init"
commands=$(sed -n 's/.*{"\([a-z0-9-]*\)", \(NULL\|"\([a-z0-9-]*\)"\), [0-9], [a-z_]*}.*/\1 \3/p' \
    src/cli/main.c | sed 's/ *$//')
[ -n "$commands" ] || { echo "check-man: no command found in src/cli/main.c"; exit 1; }
admin_headings=$(headings man/seances-admin.8)
printf '%s\n' "$commands" | while read -r cmd; do
    if ! printf '%s\n' "$admin_headings" | grep -q "^$cmd\( \|$\)"; then
        echo "check-man: command '$cmd' has no entry in man/seances-admin.8"
        exit 1
    fi
done || status=1

if command -v man >/dev/null 2>&1; then
    for page in man/*.8; do
        warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
        if [ -n "$warnings" ]; then
            printf 'check-man: groff warns about %s:\n%s\n' "$page" "$warnings"
            status=1
        fi
    done
fi
[ $status = 0 ] && echo "man pages: ok"
exit $status
