#!/usr/bin/env bash
# Screens every example in examples/ and checks each transaction's decision
# against examples/expected.tsv (file, message_id, decision). Also checks the
# exit status rule (0 PASS, 1 REVIEW, 2 BLOCK, 3 error) and the error line.
set -u
CP=${CHOKEPOINT:-build/chokepoint}
cd "$(dirname "$0")/../.." || exit 1
fail=0
all=$("$CP" screen --output json examples/*.fin examples/*.xml examples/*.json 2>/dev/null)
while IFS=$'\t' read -r file id want why; do
    case "$file" in ''|'#'*) continue;; esac
    if [ "$want" = ERROR ]; then
        out=$("$CP" screen --no-lists --output json "examples/$file" 2>/dev/null)
        if ! grep -q '"error":{' <<<"$out"; then echo "FAIL $file: expected an error line, got: $out"; fail=1; fi
        if grep -q '"decision"' <<<"$out"; then echo "FAIL $file: an unparsable message got a decision"; fail=1; fi
        continue
    fi
    line=$(grep -F "\"message_id\":\"$id\"" <<<"$all" | head -1)
    got=$(sed -n 's/.*"decision":"\([A-Z]*\)".*/\1/p' <<<"$line")
    if [ "$got" != "$want" ]; then
        echo "FAIL $file $id: expected $want, got '${got:-nothing}' ($why)"
        fail=1
    else
        echo "ok   $file $id $got"
    fi
done < examples/expected.tsv
# exit status: BLOCK beats REVIEW beats PASS; an error gives 3
"$CP" screen --no-lists examples/pain001_clean.xml >/dev/null 2>&1; [ $? -eq 0 ] || { echo "FAIL exit status for PASS"; fail=1; }
"$CP" screen --no-lists examples/mt103_invalid_iban.fin >/dev/null 2>&1; [ $? -eq 1 ] || { echo "FAIL exit status for REVIEW"; fail=1; }
"$CP" screen --no-lists examples/mt103_invalid_iban.fin examples/json_crimea_and_vessel.json >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL exit status for BLOCK"; fail=1; }
"$CP" screen --no-lists examples/mt103_broken.fin examples/pain001_clean.xml >/dev/null 2>&1; [ $? -eq 3 ] || { echo "FAIL exit status for error"; fail=1; }
# the run goes on after a bad message: the clean file after it is still screened
n=$("$CP" screen --no-lists examples/mt103_broken.fin examples/pain001_clean.xml 2>/dev/null | grep -c '"decision":"PASS"')
[ "$n" -eq 2 ] || { echo "FAIL run did not go on after an error ($n PASS lines)"; fail=1; }
# a policy error names the line and key
tmp=$(mktemp); printf '[thresholds]\nreview = 1.5\n' > "$tmp"
msg=$("$CP" screen --no-lists --policy "$tmp" examples/pain001_clean.xml 2>&1 >/dev/null)
rm -f "$tmp"
grep -q ':2' <<<"$msg" && grep -q 'review' <<<"$msg" || { echo "FAIL policy error does not name line 2 and key review: $msg"; fail=1; }
exit $fail
