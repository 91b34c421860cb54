#!/bin/sh
# The Apache::Test suite once per driver, each half with a fresh state: sqlite3 (test/state),
# then PostgreSQL (a new cluster from test/pg.sh).  Arguments go to test/TEST, e.g. one file on
# both drivers: sh test/matrix.sh 10_login.  SEANCES_TEST_DRIVERS="pgsql" runs one half.
# Each half's error_log is kept as test/logs/error_log.<driver>, its verbose output as
# test/logs/run.<driver>.log; a failure's diagnostics are repeated at the end.
# Checklist (test/SECURITY.md): SEC-84 memory safety under sanitizers.
set -u
cd "$(dirname "$0")/.."
drivers=${SEANCES_TEST_DRIVERS:-sqlite3 pgsql}
failed=""
for driver in $drivers; do
    echo "=== Apache::Test on $driver ==="
    # A server left running by an interrupted run would be reused as it is (Apache::Test does
    # not restart a running server when tests are named), with the old module and the old
    # state: stop it first.
    SEANCES_TEST_DRIVER=$driver perl test/TEST -stop-httpd >/dev/null 2>&1 || true
    # this half's log only (Apache::Test appends to the last run's)
    [ -f test/logs/error_log ] && : > test/logs/error_log
    mkdir -p test/logs
    rm -f "test/logs/rc.$driver"
    # verbose into the log, so that a failure's diagnostics are there; the screen gets the usual
    # summary without the "ok" lines
    (
        SEANCES_TEST_DRIVER=$driver timeout "${SEANCES_TEST_TIMEOUT:-900}" \
            perl test/TEST -verbose "$@"
        echo $? >"test/logs/rc.$driver"
    ) 2>&1 | tee "test/logs/run.$driver.log" | grep --line-buffered -v -E '^(ok [0-9]+|[0-9]+\.\.[0-9]+$)'

    if [ "$(cat "test/logs/rc.$driver" 2>/dev/null)" = 0 ]; then
        echo "=== Apache::Test on $driver: PASS ==="
    else
        echo "=== Apache::Test on $driver: FAIL (see test/logs/error_log.$driver) ==="
        failed="$failed $driver"
    fi
    cp test/logs/error_log "test/logs/error_log.$driver" 2>/dev/null || true
done
if [ -n "$failed" ]; then
    # What the failed tests said, again at the end: CI often shows only the last lines.
    for driver in $failed; do
        echo "--- what failed on $driver said (test/logs/run.$driver.log) ---"
        awk '/^test\/.*\.t \.\./ { file = $1 }
             /^not ok/ { show = 1; print file ": " $0; next } /^ok / { show = 0 } show && /^#/' \
            "test/logs/run.$driver.log" | head -n 40
    done
    echo "apache-test: FAILED on:$failed" >&2
    exit 1
fi
echo "apache-test: passed on $drivers"
