#!/bin/sh
# Browser tests (make -f Makefile.apxs browser-test): starts a demo instance of its own on
# 127.0.0.1:$BROWSER_PORT (8098), runs test/browser/*.test.mjs with node's test runner against
# it in Debian's Chromium (through playwright-core, from test/browser/package-lock.json), stops
# the instance. Screenshots land in build/browser/ (every page of the module in every language
# at two widths: build/browser/pages/). BROWSER_TESTS="./pages.test.mjs" runs some files only.
# Exit status: the test runner's.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/test/browser"
PORT=${BROWSER_PORT:-8098}
SMTP_PORT=${BROWSER_SMTP_PORT:-2598}
# inside the source tree: Apache's user must be able to reach it (mktemp -d is mode 700)
DIR="$ROOT/build/browser-demo"
SHOTS="$ROOT/build/browser"

command -v node >/dev/null 2>&1 || { echo "browser-test: node is missing (make -f Makefile.apxs deps)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "browser-test: /usr/bin/chromium is missing (make -f Makefile.apxs deps)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "browser-test: playwright-core needs Node >= 20, this is $(node --version)" >&2; exit 1; }

if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -f "$HERE/node_modules/axe-core/axe.min.js" ]; then
    echo "browser-test: installing playwright-core and axe-core (npm ci; it downloads no browser)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

stop_demo() {
    DEMO_DIR="$DIR" sh "$ROOT/tools/demo.sh" --stop >/dev/null 2>&1 || true
}
trap stop_demo EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# a leftover of an interrupted run would hold the port; every run starts with a new database
stop_demo
rm -rf "$DIR"
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
DEMO_PORT=$PORT DEMO_SMTP_PORT=$SMTP_PORT DEMO_DIR="$DIR" sh "$ROOT/tools/demo.sh" --background >"$SHOTS/demo-start.log" 2>&1 || {
    cat "$SHOTS/demo-start.log" >&2
    echo "browser-test: the demo instance did not start" >&2
    exit 1
}

status=0
(
    cd "$HERE"
    SEANCES_BASE_URL="http://127.0.0.1:$PORT/" \
    SEANCES_PASSWORD_FILE="$DIR/demo-password" \
    SEANCES_MAILDIR="$DIR/mail" \
    SEANCES_SCREENSHOTS="$SHOTS" \
        node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=tap ${BROWSER_TESTS:-./*.test.mjs}
) || status=$?

echo "browser-test: screenshots in $SHOTS (every page of the module: $SHOTS/pages/)"
if [ "$status" -ne 0 ]; then
    echo "browser-test: FAILED (exit $status); Apache's log: $DIR/logs/error.log" >&2
    tail -n 20 "$DIR/logs/error.log" >&2 2>/dev/null || true
fi
exit "$status"
