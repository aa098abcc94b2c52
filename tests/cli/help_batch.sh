#!/usr/bin/env bash
# `chokepoint help` = `chokepoint --help`; `search --batch` skips blank and '#'
# lines and exits 65 when a line was in error; the scripts print usage on --help.
set -u
CP=${CHOKEPOINT:-build/chokepoint}
cd "$(dirname "$0")/../.." || exit 1
fail=0
[ "$("$CP" help)" = "$("$CP" --help)" ] || { echo "FAIL help != --help"; fail=1; }
out=$(printf 'Vladimir Putin\n\n# a comment\n' | "$CP" search --batch - 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c '"line":' <<<"$out")" -eq 1 ] || { echo "FAIL comments/blank not skipped (rc $rc): $out"; fail=1; }
out=$(printf 'Vladimir Putin\n\tperson\n' | "$CP" search --batch - 2>&1); rc=$?
[ "$rc" -eq 65 ] && grep -q '"line":2,"error"' <<<"$out" || { echo "FAIL bad line: rc $rc: $out"; fail=1; }
for s in test serve-demo setup; do
    o=$(timeout 5 "./scripts/$s" --help 2>&1); rc=$?
    [ "$rc" -eq 0 ] && grep -qi "usage\|scripts/$s\|runs every test" <<<"$o" || { echo "FAIL scripts/$s --help (rc $rc)"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "ok   help and batch"
exit $fail
