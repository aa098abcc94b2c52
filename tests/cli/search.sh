#!/bin/bash
# chokepoint search on the bundled snapshot (data/lists).
# Expected entities checked by hand against the list files:
#  - us-ofac-sdn 2024-05 sdn.csv: 22790,"MADURO MOROS, Nicolas","individual",
#    "VENEZUELA] [IRAN-CON-ARMS-EO",... "DOB 23 Nov 1962; ... citizen Venezuela; ... Cedula No. 5892464"
#  - us-ofac-sdn sdn.csv: 15036,"ARTAVIL","vessel","IRAN",... "Vessel Registration Identification
#    IMO 9187629; MMSI 572469210; ..."
#  - un-sc consolidated.xml: CDi.004 INNOCENT KAINA, alias (Low) "India Queen"
set -u
: "${CHOKEPOINT:?set CHOKEPOINT to the built command}"
unset CHOKEPOINT_DATA
export CHOKEPOINT_STATE=/nonexistent/chokepoint-state
tmp=$(mktemp -d /tmp/cp-search-test-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 1. acceptance (issue #2): "Nicolas Maduro" -> us-ofac-sdn:22790 first
"$CHOKEPOINT" search "Nicolas Maduro" > "$tmp/t" 2> "$tmp/e" || fail "text: exit $?"
first=$(grep -m1 -E '^ *1\. ' "$tmp/t")
case "$first" in *"us-ofac-sdn:22790"*"MADURO MOROS, Nicolas"*) ;; *) fail "text first: '$first'";; esac
grep -q "MATCH" <<< "$first" || fail "text: 22790 should be a match: '$first'"

# 2. JSON shape
"$CHOKEPOINT" search --format json --limit 3 "Nicolas Maduro" > "$tmp/j" || fail "json: exit $?"
for k in '"query"' '"lists"' '"results"' '"entity_id"' '"list"' '"source_id"' '"schema"' '"name"' \
         '"matched_name"' '"matched_name_kind"' '"score"' '"match"' '"programs"' '"explanation"' '"version"'; do
    grep -q "$k" "$tmp/j" || fail "json: key $k missing"
done
id1=$(grep -m1 '"entity_id"' "$tmp/j" | sed 's/.*: *"\([^"]*\)".*/\1/')
[ "$id1" = "us-ofac-sdn:22790" ] || fail "json first entity: '$id1'"
grep -q '"VENEZUELA"' "$tmp/j" || fail "json: program VENEZUELA missing"
n=$(grep -c '"entity_id"' "$tmp/j")
[ "$n" -le 3 ] || fail "json: --limit 3 gave $n results"

# 3. --list filter
"$CHOKEPOINT" search --format json --list un-sc --min-score 0.01 "Nicolas Maduro" > "$tmp/l" || fail "list: exit $?"
grep '"entity_id"' "$tmp/l" | grep -v '"un-sc:' && fail "--list un-sc returned another list"
grep -q '"lists":\|"lists": \[' "$tmp/l" || fail "list: no lists"
"$CHOKEPOINT" search --list us-ofac-sdn --list un-sc "Nicolas Maduro" | grep -m1 -q "us-ofac-sdn:22790" || fail "two --list"

# 4. --schema: the vessel ARTAVIL; a person query for it is marked as a schema conflict
"$CHOKEPOINT" search --schema vessel ARTAVIL | grep -m1 -E '^ *1\. ' | grep -q "us-ofac-sdn:15036" || fail "schema vessel"
"$CHOKEPOINT" search --schema person --min-score 0.01 ARTAVIL | grep -q "schema: query person, list entity vessel (conflict)" \
    || fail "schema conflict not explained"

# 5. identifier: IMO number alone finds the vessel, never with score 1.0
out=$("$CHOKEPOINT" search --id "IMO 9187629" | grep -m1 -E '^ *1\. ')
case "$out" in *"us-ofac-sdn:15036"*) ;; *) fail "id: '$out'";; esac
case "$out" in *" 1.000 "*) fail "id-only match must not be 1.0: '$out'";; esac

# 6. weak alias counts on the exact name only
"$CHOKEPOINT" search --list un-sc "India Queen" | grep -A1 "un-sc:CDi.004" | grep -q "weak_alias: India Queen" \
    || fail "weak alias exact"
"$CHOKEPOINT" search --list un-sc --min-score 0.01 "India Queens" | grep -q "weak_alias" && fail "weak alias fuzzy"

# 7. --batch: one JSON object per line, in order; a bad line gives an error object
printf 'Nicolas Maduro\n\tperson\nARTAVIL\tvessel\t\t\nX\t\t\t1962-13-40\nVladimir Putin\tperson\tRU\t1952-10-07\n' > "$tmp/b.tsv"
"$CHOKEPOINT" search --batch "$tmp/b.tsv" --limit 1 > "$tmp/bo"; rc=$?
[ "$rc" -eq 65 ] || fail "batch: exit $rc, want 65 (lines 2 and 4 are errors)"
[ "$(wc -l < "$tmp/bo")" -eq 5 ] || fail "batch: $(wc -l < "$tmp/bo") lines, want 5"
for i in 1 2 3 4 5; do
    sed -n "${i}p" "$tmp/bo" | grep -q "^{\"line\":$i," || fail "batch line $i out of order"
done
sed -n 1p "$tmp/bo" | grep -q '"entity_id":"us-ofac-sdn:22790"' || fail "batch 1"
sed -n 2p "$tmp/bo" | grep -q '"error":{"message":"empty name"' || fail "batch 2 error"
sed -n 3p "$tmp/bo" | grep -q '"entity_id":"us-ofac-sdn:15036"' || fail "batch 3"
sed -n 4p "$tmp/bo" | grep -q '"field":"dob"' || fail "batch 4 error"
sed -n 5p "$tmp/bo" | grep -q '"schema":"person","country":"RU","dob":"1952-10-07"' || fail "batch 5 query"
# stdin
printf 'ARTAVIL\n' | "$CHOKEPOINT" search --batch - --limit 1 | grep -q '"line":1,' || fail "batch stdin"

# 8. usage errors: exit 64
"$CHOKEPOINT" search --bogus x > /dev/null 2>&1; [ $? -eq 64 ] || fail "unknown option: want 64"
"$CHOKEPOINT" search > /dev/null 2>&1; [ $? -eq 64 ] || fail "no name: want 64"
"$CHOKEPOINT" search --schema planet x > /dev/null 2>&1; [ $? -eq 64 ] || fail "bad schema: want 64"
"$CHOKEPOINT" search --dob 1962-13-01 x > /dev/null 2>&1; [ $? -eq 64 ] || fail "bad dob: want 64"
"$CHOKEPOINT" search --limit 0 x > /dev/null 2>&1; [ $? -eq 64 ] || fail "bad limit: want 64"
"$CHOKEPOINT" search --min-score 2 x > /dev/null 2>&1; [ $? -eq 64 ] || fail "bad min-score: want 64"
"$CHOKEPOINT" search --format xml x > /dev/null 2>&1; [ $? -eq 64 ] || fail "bad format: want 64"
"$CHOKEPOINT" search --list no-such-list x > /dev/null 2> "$tmp/e"; [ $? -eq 64 ] || fail "unknown list: want 64"
grep -q 'unknown list "no-such-list"' "$tmp/e" || fail "unknown list message"
"$CHOKEPOINT" search --batch /nonexistent/q.txt > /dev/null 2>&1; [ $? -eq 66 ] || fail "missing batch file: want 66"

[ $fails -eq 0 ] && echo ok
exit $((fails > 0))
