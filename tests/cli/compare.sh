#!/bin/bash
# chokepoint compare: single pair and --tsv batch (scores checked by hand
# with --why; bands in tests/cases/names/core.tsv).
set -u
fail() { echo "FAIL: $*"; exit 1; }
out=$("$CHOKEPOINT" compare --schema person "John Smith" "John Smith") || fail "exit $?"
[ "$out" = "1.0000	match" ] || fail "exact: '$out'"
out=$("$CHOKEPOINT" compare --schema person "Emma Lloyd" "EMMA LLC") || fail "exit $?"
case "$out" in *"	no-match") ;; *) fail "emma: '$out'";; esac
out=$(printf 'organization\tJSCARGUMENT\tJSC ARGUMENT\nperson\tVladimir Putin\tВладимир Путин\nbogus\ta\tb\n' | "$CHOKEPOINT" compare --tsv - 2>/dev/null)
[ $? -eq 65 ] || fail "bad schema line should give exit 65"
[ "$(echo "$out" | sed -n 1p | cut -f2)" = "match" ] || fail "line 1: $out"
[ "$(echo "$out" | sed -n 2p | cut -f2)" = "match" ] || fail "line 2: $out"
[ "$(echo "$out" | sed -n 3p)" = "error" ] || fail "line 3: $out"
"$CHOKEPOINT" compare onlyone >/dev/null 2>&1 && fail "one name should be a usage error"
echo ok
