#!/bin/bash
# `chokepoint lists` and `lists verify` on the bundled snapshot (data/lists) and on
# damaged copies: counts and versions match each manifest, the combined SHA-256
# is what `sha256sum FILES | sha256sum` gives, a missing/truncated/altered file
# is refused naming the list and file, strict vs lenient on a malformed fixture.
set -u
: "${CHOKEPOINT:?set CHOKEPOINT to the built command}"
unset CHOKEPOINT_DATA
export CHOKEPOINT_STATE=/nonexistent/chokepoint-state   # never pick up a developer's downloads
tmp=$(mktemp -d /tmp/cp-lists-test-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_in() { grep -qF -- "$2" "$1" || { fail "$3: '$2' not in output:"; sed 's/^/    /' "$1"; }; }

# --- 1. the bundled snapshot loads strictly; every count and version is the manifest's
"$CHOKEPOINT" lists > "$tmp/out" 2> "$tmp/err" || { fail "lists: exit $?"; cat "$tmp/err"; }
expect_in "$tmp/out" "6 lists," "lists"
expect_in "$tmp/out" "(bundled)" "lists"
for m in data/lists/*/manifest.json; do
    id=$(basename "$(dirname "$m")")
    version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$m")
    entities=$(sed -n 's/^    "entities": \([0-9]*\),*$/\1/p' "$m")
    [ -n "$entities" ] || { fail "$m has no expected.entities"; continue; }
    row=$(grep -E "^$id +" "$tmp/out" | head -1)
    set -- $row
    [ "${2:-}" = "$version" ] || fail "$id: version '${2:-}' != manifest '$version'"
    [ "${3:-}" = "$entities" ] || fail "$id: $3 entities != manifest expected.entities $entities"
done
# the warnings of a count mismatch would show here
if grep -q "entities loaded, the manifest says" "$tmp/out"; then fail "count mismatch warning"; fi

# --- 2. the combined digest can be checked with sha256sum
if command -v jq > /dev/null; then
    "$CHOKEPOINT" lists --format json > "$tmp/json" || fail "lists --format json"
    for id in $(jq -r '.lists[].id' "$tmp/json"); do
        mkdir -p "$tmp/plain/$id"
        names=()
        while IFS=$'\t' read -r path name; do
            zcat -f "data/lists/$id/$path" > "$tmp/plain/$id/$name"
            names+=("$name")
        done < <(jq -r '.files[] | [.path, .name] | @tsv' "data/lists/$id/manifest.json")
        want=$(cd "$tmp/plain/$id" && sha256sum "${names[@]}" | sha256sum | cut -c1-64)
        got=$(jq -r --arg id "$id" '.lists[] | select(.id == $id) | .sha256' "$tmp/json")
        [ "$got" = "$want" ] || fail "$id: sha256 $got != sha256sum pipeline $want"
    done
else
    echo "note: jq not installed, digest check skipped"
fi

# --- 3. verify (hashes only)
"$CHOKEPOINT" lists verify > "$tmp/out" 2>&1 || fail "verify: exit $?"
[ "$(grep -c '^ok ' "$tmp/out")" = 6 ] || { fail "verify: not 6 ok lines"; cat "$tmp/out"; }
expect_in "$tmp/out" "all files match their manifests" "verify"

# --- 4. damaged copies of the non-SDN list are refused, naming list and file
damage() { rm -rf "$tmp/d"; mkdir -p "$tmp/d"; cp -r data/lists/us-ofac-non-sdn "$tmp/d/"; }
D="$tmp/d/us-ofac-non-sdn"
damage; rm "$D/cons_alt.csv.gz"
"$CHOKEPOINT" lists --data "$tmp/d" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "missing: exit $rc"
expect_in "$tmp/err" "list us-ofac-non-sdn: file cons_alt.csv.gz is missing" "missing"
damage; zcat data/lists/us-ofac-non-sdn/cons_prim.csv.gz | head -c 100000 > "$D/cons_prim.csv.gz"
"$CHOKEPOINT" lists --data "$tmp/d" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "truncated: exit $rc"
expect_in "$tmp/err" "list us-ofac-non-sdn: file cons_prim.csv.gz has 100000 bytes, its manifest says 238635 (truncated file)" "truncated"
damage; zcat data/lists/us-ofac-non-sdn/cons_comments.csv.gz | tr 'a' 'e' > "$D/cons_comments.csv.gz"
"$CHOKEPOINT" lists --data "$tmp/d" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "altered: exit $rc"
expect_in "$tmp/err" "list us-ofac-non-sdn: file cons_comments.csv.gz has SHA-256" "altered"
"$CHOKEPOINT" lists verify --data "$tmp/d" > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 65 ] || fail "verify altered: exit $rc"
expect_in "$tmp/out" "FAILED  us-ofac-non-sdn:" "verify altered"
# $CHOKEPOINT_DATA is honoured like --data
CHOKEPOINT_DATA="$tmp/d" "$CHOKEPOINT" lists > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "CHOKEPOINT_DATA: exit $rc"

# --- 5. strict vs lenient on a malformed record
F=tests/fixtures/snapshot/csl-malformed
"$CHOKEPOINT" lists --data "$F" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "strict: exit $rc"
expect_in "$tmp/err" "list us-csl: 1 malformed record (use --lenient to skip them): consolidated.csv:5" "strict"
"$CHOKEPOINT" lists --data "$F" --lenient --problems > "$tmp/out" 2>&1 || fail "lenient: exit $?"
expect_in "$tmp/out" "us-csl             2023-11-16         3" "lenient"
expect_in "$tmp/out" "error: consolidated.csv:5" "lenient"

# --- 6. usage
"$CHOKEPOINT" lists --bogus > /dev/null 2>&1; rc=$?
[ "$rc" = 64 ] || fail "bad option: exit $rc"
"$CHOKEPOINT" lists --help > "$tmp/out" 2>&1 || fail "--help: exit $?"
expect_in "$tmp/out" "usage: chokepoint lists" "--help"
"$CHOKEPOINT" lists --list no-such-list > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" = 69 ] || fail "unknown list: exit $rc"
expect_in "$tmp/err" "no list 'no-such-list'" "unknown list"

if [ "$fails" -ne 0 ]; then echo "$fails failure(s)"; exit 1; fi
echo ok
