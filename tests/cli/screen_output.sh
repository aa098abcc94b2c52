#!/usr/bin/env bash
# Analyst-facing output of `screen` (docs/screening.md "Output"):
# - evidence that decides nothing by itself is INFO (JSON "action":"info"), never PASS;
# - every result says what was screened and the list versions;
# - the same designation on several lists (SDN 17013 VTB BANK in us-ofac-sdn, us-csl,
#   us-ofac-non-sdn; examples/mt103_eo14024_typo.fin) is one line per field with the lists listed;
# - the error line of a broken message names the file once and one byte offset;
# - explanations carry no internal issue numbers.
set -u
CP=${CHOKEPOINT:-build/chokepoint}
cd "$(dirname "$0")/../.." || exit 1
fail=0
t=$("$CP" screen --output text examples/mt103_eo14024_typo.fin examples/pain001_clean.xml examples/mt700_cnc_kazakhstan_russia.fin 2>&1)
j=$("$CP" screen --output json examples/mt103_eo14024_typo.fin examples/json_crimea_and_vessel.json 2>&1)
grep -qE '^  - PASS ' <<<"$t" && { echo "FAIL a hit line says PASS"; fail=1; }
grep -qE '^  - INFO   route   field 57A' <<<"$t" || { echo "FAIL route fact is not INFO"; fail=1; }
grep -q '"action":"PASS"' <<<"$j" && { echo "FAIL JSON hit action PASS"; fail=1; }
grep -q '"kind":"route","field":"\[0\].creditor","value":"Simferopol","entity_id":null,"list":"comprehensive","score":1.000,"action":"info"' <<<"$j" ||
    { echo "FAIL JSON route fact not action info with the issue's fields"; fail=1; }
n=$(grep -c "field 57A: 'VTBRRUMM' -> .*:17013" <<<"$t")
[ "$n" -eq 1 ] || { echo "FAIL VTB 57A shown $n times (want 1)"; fail=1; }
grep -q "field 57A: 'VTBRRUMM' -> us-csl:17013 .* list us-csl, us-ofac-non-sdn, us-ofac-sdn rule" <<<"$t" ||
    { echo "FAIL VTB 57A line does not list the three lists"; fail=1; }
[ "$(grep -o '"entity_id":"us-ofac-sdn:17013"' <<<"$j" | wc -l)" -ge 2 ] || { echo "FAIL JSON lost hits"; fail=1; }
grep -q '^  screened: 5 parties (CdtrAgt, Cdtr, PmtInf/Dbtr, PmtInf/DbtrAgt, GrpHdr/InitgPty), 1 text (RmtInf/Ustrd), 0 places$' <<<"$t" ||
    { echo "FAIL PASS result does not say what was screened"; fail=1; }
grep -q '^  lists: .*us-ofac-sdn 20' <<<"$t" || { echo "FAIL no list versions in text"; fail=1; }
grep -q 'issue #' <<<"$t$j" && { echo "FAIL an explanation mentions an issue number"; fail=1; }
e=$("$CP" screen --no-lists --output text examples/mt103_broken.fin 2>&1)
[ "$e" = "ERROR: examples/mt103_broken.fin (byte 86): field 32A: 32A must start with a value date YYMMDD" ] ||
    { echo "FAIL error line: $e"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   screen output"
exit $fail
