#!/bin/bash
# The web UI end to end in headless Chromium (tests/e2e/ui.spec.mjs, docs/ui.md):
# an analyst screens an MT103 in the browser that must alert, sees field 59
# marked, proposes false_positive on the alert; a checker confirms; the alert
# is closed; then `chokepoint audit verify` passes on the case store.
#
# Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM), node and
# playwright-core in tests/e2e/node_modules (installed here with `npm ci` from
# the committed package-lock.json when missing; never a browser download).
# Exits 77 (skip) saying why when one of them is absent. Screenshots go to
# <build dir>/e2e/ (ui-e2e-failure.png when it fails).
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${CHOKEPOINT:?set CHOKEPOINT to the built command}"

chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "skip: no chromium at $chromium (apt-get install chromium; scripts/setup does)"; exit 77; }
command -v node >/dev/null || { echo "skip: node not installed (apt-get install nodejs)"; exit 77; }
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] 2>/dev/null || { echo "skip: playwright-core needs node >= 20 (have $(node --version 2>&1))"; exit 77; }
if [ ! -f tests/e2e/node_modules/playwright-core/package.json ]; then
    if command -v npm >/dev/null; then
        echo "installing playwright-core into tests/e2e/node_modules (npm ci, no browser download)"
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error ||
            echo "npm ci failed"
    fi
    [ -f tests/e2e/node_modules/playwright-core/package.json ] ||
        { echo "skip: playwright-core not installed (npm ci --prefix tests/e2e)"; exit 77; }
fi

. tests/cli/serve.inc
out_dir="$(cd "$(dirname "$CHOKEPOINT")" && pwd)/e2e"
mkdir -p "$out_dir"
rm -f "$out_dir"/ui-*.png
start_server

expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" 200 "UI page without a token"

BASE_URL="http://127.0.0.1:$port" ANALYST_TOKEN=analyst-token-0001 CHECKER_TOKEN=checker-token-0001 \
E2E_OUT="$out_dir" CHROMIUM="$chromium" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    timeout 300 node tests/e2e/ui.spec.mjs > "$tmp/e2e.log" 2>&1
rc=$?
cat "$tmp/e2e.log"
[ $rc -eq 0 ] || fail "browser test (exit $rc; screenshots in $out_dir)"
a=$(sed -n 's/^closed alert \([0-9]*\)$/\1/p' "$tmp/e2e.log")
if [ -n "$a" ]; then
    out=$(api analyst-token-0001 GET "/v1/alerts/$a")
    expect_eq "$(echo "$out" | body_of | jfield status)" closed "alert $a status in the store"
    echo "$out" | grep -q '"step":"confirmation","comment":"agreed: different company (e2e)"' ||
        fail "the checker's confirmation is not recorded"
fi
out=$("$CHOKEPOINT" audit verify --db "$tmp/cases.db")
expect_eq "$?" 0 "audit verify exit"
echo "$out"
echo "$out" | grep -q '^audit chain OK: ' || fail "audit verify: $out"
stop_server

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 40
    exit 1
fi
echo "ui_e2e: all checks passed"
