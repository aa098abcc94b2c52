#!/bin/bash
# `chokepoint lists update` against a local HTTP server (tests/tools/http_server,
# 127.0.0.1 only; never the network). Starts from a small snapshot (copies of the
# bundled un-sc and us-csl lists) and checks:
#   - good files: the update succeeds, `lists` shows the new version;
#   - 404, a transfer cut off mid-file, garbage, a shrunken list, an unreachable
#     server, a list without source: the update fails naming the list and the
#     reason, and the previous snapshot stays active (checked with `lists`);
#   - no staging directory or partial file is left behind.
set -u
: "${CHOKEPOINT:?set CHOKEPOINT to the built command}"
: "${CP_BUILD_DIR:?set CP_BUILD_DIR to the build directory}"
SERVER="$CP_BUILD_DIR/tools/http_server"
if [ ! -x "$SERVER" ]; then
    echo "skip: $SERVER not built (libmicrohttpd missing)"
    exit 77
fi
unset CHOKEPOINT_DATA XDG_STATE_HOME
# Belt and braces: a request that escapes the mirror goes to a dead local proxy,
# never to the network (libcurl reads these; 127.0.0.1 is exempt).
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1

tmp=$(mktemp -d /tmp/cp-update-test-XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_in() { # expect_in FILE TEXT WHAT
    grep -qF -- "$2" "$1" || { fail "$3: '$2' not in output:"; sed 's/^/    /' "$1"; }
}

# --- the snapshot we start from, and what the "publisher" serves
mkdir -p "$tmp/base" "$tmp/www/good/un-sc" "$tmp/www/good/us-csl" "$tmp/www/trunc/un-sc" \
         "$tmp/www/garbage/un-sc" "$tmp/www/small/un-sc"
cp -r data/lists/un-sc data/lists/us-csl "$tmp/base/"
# A newer UN list: same records, dateGenerated moved to 2026-03-01.
zcat data/lists/un-sc/consolidated.xml.gz |
    sed 's/dateGenerated="2026-02-27T/dateGenerated="2026-03-01T/' > "$tmp/www/good/un-sc/consolidated.xml"
# The CSL exactly as bundled (so: unchanged).
zcat data/lists/us-csl/consolidated.csv.gz > "$tmp/www/good/us-csl/consolidated.csv"
touch -d '2026-03-02 12:00:00 UTC' "$tmp/www/good/us-csl/consolidated.csv"
cp "$tmp/www/good/un-sc/consolidated.xml" "$tmp/www/trunc/un-sc/consolidated.xml"
printf '<html><body>Service temporarily unavailable</body></html>\n' > "$tmp/www/garbage/un-sc/consolidated.xml"
# A well-formed UN list with only its first 300 individuals (of 1003 entities).
zcat data/lists/un-sc/consolidated.xml.gz |
    awk '{ print } /<\/INDIVIDUAL>/ { if (++n == 300) { print "  </INDIVIDUALS>"; print "</CONSOLIDATED_LIST>"; exit } }' \
    > "$tmp/www/small/un-sc/consolidated.xml"

"$SERVER" --dir "$tmp/www" --port-file "$tmp/port" \
    --truncate trunc/un-sc/consolidated.xml=300000 \
    --status good/un-sc/fail500.xml=500 > /dev/null 2> "$tmp/server.log" &
pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { echo "http_server did not start"; cat "$tmp/server.log"; exit 1; }
port=$(cat "$tmp/port")
url="http://127.0.0.1:$port"
export CHOKEPOINT_STATE="$tmp/state"

update() { "$CHOKEPOINT" lists update --from "$tmp/base" "$@" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/rc"; cat "$tmp/out" >> "$tmp/err"; }
rc() { cat "$tmp/rc"; }
# The active snapshot's un-sc version (via `lists`, as a user would check it).
active_un() { "$CHOKEPOINT" lists --list un-sc --format json | grep -o '"version": "[0-9-]*"' | head -1; }

# --- 1. good files: updated and active
update --mirror "$url/good"
[ "$(rc)" = 0 ] || fail "good update: exit $(rc)"
expect_in "$tmp/err" "un-sc              updated    2026-02-27 -> 2026-03-01, 1003 -> 1003 entities" "good update"
expect_in "$tmp/err" "us-csl             unchanged  2023-11-16" "good update"
expect_in "$tmp/err" "active snapshot: $tmp/state/snapshots/000001" "good update"
[ "$(readlink "$tmp/state/current")" = "snapshots/000001" ] || fail "current does not point at snapshots/000001"
[ "$(active_un)" = '"version": "2026-03-01"' ] || fail "lists after good update: $(active_un)"
"$CHOKEPOINT" lists > "$tmp/lists" 2>&1 || fail "lists after update failed"
expect_in "$tmp/lists" "snapshot $tmp/state/snapshots/000001 (state)" "lists after update"
expect_in "$tmp/lists" "us-csl             2023-11-16      4219" "lists after update"
# the new manifest records where the file came from and its new hash
expect_in "$tmp/state/current/un-sc/manifest.json" "\"fetched_from\": \"$url/good/un-sc/consolidated.xml\"" "new manifest"
expect_in "$tmp/state/current/un-sc/manifest.json" "\"sha256\": \"$(sha256sum < "$tmp/www/good/un-sc/consolidated.xml" | cut -c1-64)\"" "new manifest"
"$CHOKEPOINT" lists verify > "$tmp/verify" 2>&1 || fail "verify after update"

# From now on update from the active snapshot (no --from).
update2() { "$CHOKEPOINT" lists update "$@" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/rc"; cat "$tmp/out" >> "$tmp/err"; [ -n "${SHOW:-}" ] && cat "$tmp/err"; true; }
still_active() {
    [ "$(readlink "$tmp/state/current")" = "snapshots/000001" ] || fail "$1: current moved to $(readlink "$tmp/state/current")"
    [ "$(active_un)" = '"version": "2026-03-01"' ] || fail "$1: active un-sc version is now $(active_un)"
}

# --- 2. the same again: nothing new, no new snapshot
update2 --mirror "$url/good"
[ "$(rc)" = 0 ] || fail "repeat update: exit $(rc)"
expect_in "$tmp/err" "nothing new; active snapshot unchanged" "repeat update"
still_active "repeat update"

# --- 3. 404
update2 --mirror "$url/missing" --list un-sc
[ "$(rc)" = 69 ] || fail "404: exit $(rc)"
expect_in "$tmp/err" "list un-sc: consolidated.xml: HTTP status 404" "404"
expect_in "$tmp/err" "the active snapshot is unchanged: $tmp/state/snapshots/000001" "404"
still_active "404"

# --- 4. HTTP 500 on one file, chosen with --url
update2 --url "un-sc/consolidated.xml=$url/good/un-sc/fail500.xml" --list un-sc
[ "$(rc)" = 69 ] || fail "500: exit $(rc)"
expect_in "$tmp/err" "list un-sc: consolidated.xml: HTTP status 500" "500"
still_active "500"

# --- 5. transfer cut off after 300000 bytes
update2 --mirror "$url/trunc" --list un-sc
[ "$(rc)" = 69 ] || fail "truncated: exit $(rc)"
expect_in "$tmp/err" "list un-sc: consolidated.xml: transfer closed with" "truncated"
still_active "truncated"

# --- 6. garbage (an HTML error page served as the list)
update2 --mirror "$url/garbage" --list un-sc
[ "$(rc)" = 65 ] || fail "garbage: exit $(rc)"
expect_in "$tmp/err" "list un-sc:" "garbage"
still_active "garbage"

# --- 7. a valid but much smaller list: refused by min_entities (900) ...
update2 --mirror "$url/small" --list un-sc
[ "$(rc)" = 65 ] || fail "small: exit $(rc)"
expect_in "$tmp/err" "list un-sc: only 300 entities loaded, its manifest expects at least 900" "small"
still_active "small"
# ... and, without min_entities, by the shrink check against the previous snapshot
mkdir -p "$tmp/base2" && cp -r "$tmp/base/un-sc" "$tmp/base2/"
sed -i '/"min_entities"/d; s/"entities": 1003,/"entities": 1003/' "$tmp/base2/un-sc/manifest.json"
update2 --from "$tmp/base2" --mirror "$url/small"
[ "$(rc)" = 65 ] || fail "shrink: exit $(rc)"
expect_in "$tmp/err" "list un-sc: shrank from 1003 to 300 entities (more than 50%)" "shrink"
still_active "shrink"

# --- 8. server unreachable (nothing listens on port 1)
update2 --mirror "http://127.0.0.1:1" --list un-sc --timeout 10
[ "$(rc)" = 69 ] || fail "unreachable: exit $(rc)"
expect_in "$tmp/err" "list un-sc: consolidated.xml:" "unreachable"
still_active "unreachable"

# --- 9. a list with no network source
mkdir -p "$tmp/base3" && cp -r "$tmp/base/un-sc" "$tmp/base/us-csl" "$tmp/base3/"
sed -i 's|"source_url": "[^"]*"|"source_url": ""|' "$tmp/base3/un-sc/manifest.json"
update2 --from "$tmp/base3" --list un-sc
[ "$(rc)" = 64 ] || fail "no source: exit $(rc)"
expect_in "$tmp/err" "list un-sc: has no network source" "no source"
still_active "no source"
# not asked for by id: reported and carried over, the others still update
update2 --from "$tmp/base3" --url "consolidated.csv=$url/good/us-csl/consolidated.csv"
[ "$(rc)" = 0 ] || fail "no source, implicit: exit $(rc)"
expect_in "$tmp/err" "un-sc              no source" "no source, implicit"
expect_in "$tmp/err" "us-csl             unchanged" "no source, implicit"
still_active "no source, implicit"

# --- 10. nothing left behind by the failures
leftover=$(find "$tmp/state" -name '.staging-*' -o -name '*.part' -o -name '.current.*' | head -5)
[ -z "$leftover" ] || fail "left behind: $leftover"
[ "$(ls "$tmp/state/snapshots")" = "000001" ] || fail "snapshots: $(ls "$tmp/state/snapshots")"

# --- 11. a second good update makes 000002 active; `lists` follows it
zcat data/lists/un-sc/consolidated.xml.gz |
    sed 's/dateGenerated="2026-02-27T/dateGenerated="2026-03-09T/' > "$tmp/www/good/un-sc/consolidated.xml"
update2 --mirror "$url/good"
[ "$(rc)" = 0 ] || fail "second update: exit $(rc)"
expect_in "$tmp/err" "un-sc              updated    2026-03-01 -> 2026-03-09" "second update"
[ "$(readlink "$tmp/state/current")" = "snapshots/000002" ] || fail "current not at 000002"
[ "$(active_un)" = '"version": "2026-03-09"' ] || fail "lists after second update: $(active_un)"

# --- 12. leftovers of a killed update are cleaned by the next one
mkdir -p "$tmp/state/snapshots/.staging-killed/un-sc" && ln -s snapshots/000001 "$tmp/state/.current.99999"
update2 --mirror "$url/good"
[ "$(rc)" = 0 ] || fail "after a killed update: exit $(rc)"
[ ! -e "$tmp/state/snapshots/.staging-killed" ] || fail "stale staging dir not removed"
[ ! -L "$tmp/state/.current.99999" ] || fail "stale link not removed"

# --- 13. one update at a time per state dir
if command -v flock > /dev/null; then
    flock "$tmp/state/lock" sh -c "\"$CHOKEPOINT\" lists update --mirror $url/good > \"$tmp/out\" 2> \"$tmp/err\"; echo \$? > \"$tmp/rc\""
    [ "$(rc)" = 74 ] || fail "locked: exit $(rc)"
    expect_in "$tmp/err" "another 'lists update' is running on this state directory" "locked"
fi

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "ok"
