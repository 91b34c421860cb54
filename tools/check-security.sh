#!/bin/sh
# test/SECURITY.md must not lie: one row per item SEC-01 .. SEC-88 of the security checklist,
# each with a known status, and every file a row names must exist and name that SEC id
# (so a test cannot be listed for an item it never mentions). Rows whose status is
# "in flight (issue N)" may name test files that do not exist yet (work not merged).
#   | SEC-nn | title | `test/file.t` "test name"; `test/unit/test_x.c` fn | status: why |
# Usage: tools/check-security.sh [table]   (run from the top of the tree; part of make unit)
set -eu
table=${1:-test/SECURITY.md}
[ -f "$table" ] || { echo "check-security: $table is missing"; exit 1; }
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

n=1
while [ "$n" -le 88 ]; do
    id=$(printf 'SEC-%02d' "$n")
    rows=$(grep -c "^| $id |" "$table" || true)
    [ "$rows" = 1 ] || echo "$id: $rows rows in $table (want exactly 1)" >>"$errors"
    n=$((n + 1))
done
grep -oE '^\| SEC-[0-9]+ \|' "$table" | grep -vE '^\| SEC-(0[1-9]|[1-7][0-9]|8[0-8]) \|' |
    sed 's/^/unknown id: /' >>"$errors" || true

grep -E '^\| SEC-[0-9]+ \|' "$table" | while IFS= read -r row; do
    id=$(printf '%s\n' "$row" | cut -d'|' -f2 | tr -d ' ')
    tests=$(printf '%s\n' "$row" | cut -d'|' -f4)
    status=$(printf '%s\n' "$row" | cut -d'|' -f5 | sed 's/^ *//; s/ *$//')
    case "$status" in
    covered* | partial:* | "N/A:"*) flight=0 ;;
    "in flight (issue "[0-9]*")"*) flight=1 ;;
    *) echo "$id: unknown status '$status' (covered, partial: why, N/A: why, in flight (issue N))" >>"$errors"; continue ;;
    esac
    case "$status" in
    "N/A:"* | partial:*)
        [ "${#status}" -ge 30 ] || echo "$id: '$status' needs a short argument" >>"$errors" ;;
    esac
    files=$(printf '%s\n' "$tests" | grep -oE '`[^`]+`' | tr -d '`' |
        grep -E '^(test|tools)/|^Makefile' | sed 's/[:].*$//' || true)
    if [ -z "$files" ] && [ "$flight" = 0 ] && [ "${status#N/A}" = "$status" ]; then
        echo "$id: status '$status' but no test file named" >>"$errors"
    fi
    for f in $files; do
        if [ ! -f "$f" ]; then
            [ "$flight" = 1 ] || echo "$id: $f does not exist" >>"$errors"
        elif ! grep -q "$id\b" "$f"; then
            echo "$id: $f does not mention $id" >>"$errors"
        fi
    done
done

if [ -s "$errors" ]; then
    cat "$errors"
    echo "check-security: $(wc -l <"$errors") problem(s) in $table"
    exit 1
fi
echo "security table: 88 items, $(grep -cE '^\| SEC-[0-9]+ \|.*\| covered' "$table") covered," \
    "$(grep -cE '^\| SEC-[0-9]+ \|.*\| partial' "$table") partial," \
    "$(grep -cE '^\| SEC-[0-9]+ \|.*\| N/A' "$table") N/A," \
    "$(grep -cE '^\| SEC-[0-9]+ \|.*\| in flight' "$table") in flight: ok"
