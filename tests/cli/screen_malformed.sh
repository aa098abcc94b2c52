#!/usr/bin/env bash
# Damaged MT messages (issue #4): the three samples that are damaged as found
# (tests/fixtures/messages/PROVENANCE.md) are repaired by the parser, still
# screened, and never PASS silently: the rule malformed_message (docs/rules.md)
# names the field, byte offset and repair, and makes the message REVIEW.
# Damage that cannot be repaired safely stays an error (exit status 3).
set -u
CP=${CHOKEPOINT:-build/chokepoint}
cd "$(dirname "$0")/../.." || exit 1
M=tests/fixtures/messages/swift-mt
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hits_of OUTPUT: the malformed_message hits, one per line (each hit object on its own line)
hits_of() { sed 's/},{"kind"/}\n{"kind"/g' <<<"$1" | grep '"rule":"malformed_message"'; }

# 1. MT202_custom_fin1.fin: "{1:ABCDLKLXXXXX0000000000}" (no F01); the header value starts at byte 3.
out=$("$CP" screen --no-lists --output json "$M/wso2-test/MT202_custom_fin1.fin" 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "FAIL MT202_custom_fin1: exit status $rc, want 1 (REVIEW): $out"; fail=1; }
grep -q '"message_id":"IBPPAB049250002","format":"mt","type":"MT202","decision":"REVIEW"' <<<"$out" ||
    { echo "FAIL MT202_custom_fin1: not REVIEW: $out"; fail=1; }
h=$(hits_of "$out")
grep -q '"field":"block 1"' <<<"$h" && grep -q '"offset":3}' <<<"$h" && grep -q '"action":"REVIEW"' <<<"$h" &&
    grep -q "read as 'F01' (FIN user message) with logical terminal ABCDLKLXXXXX" <<<"$h" ||
    { echo "FAIL MT202_custom_fin1: no malformed_message hit on block 1 at byte 3: $out"; fail=1; }
# the message content is still screened: 58D beneficiary institution is in the result's evidence
grep -q '"field":"58D"' <<<"$out" || { echo "FAIL MT202_custom_fin1: 58D not screened: $out"; fail=1; }

# The rule alone decides: with the other rule that fires here (invalid_iban on 58D "/MUFG LTD/")
# switched off the message is still REVIEW; with malformed_message = info it passes (hit still shown).
printf '[rule.invalid_iban]\nenabled = false\n' >"$tmp/p1"
out=$("$CP" screen --no-lists --policy "$tmp/p1" "$M/wso2-test/MT202_custom_fin1.fin" 2>&1)
grep -q '"decision":"REVIEW"' <<<"$out" && [ -n "$(hits_of "$out")" ] ||
    { echo "FAIL malformed_message alone does not give REVIEW: $out"; fail=1; }
printf '[rule.invalid_iban]\nenabled = false\n[rule.malformed_message]\naction = info\n' >"$tmp/p2"
out=$("$CP" screen --no-lists --policy "$tmp/p2" "$M/wso2-test/MT202_custom_fin1.fin" 2>&1)
grep -q '"decision":"PASS"' <<<"$out" && hits_of "$out" | grep -q '"action":"info"' ||
    { echo "FAIL malformed_message action = info: $out"; fail=1; }
printf '[rule.invalid_iban]\nenabled = false\n[rule.malformed_message]\nenabled = false\n' >"$tmp/p3"
out=$("$CP" screen --no-lists --policy "$tmp/p3" "$M/wso2-test/MT202_custom_fin1.fin" 2>&1)
grep -q '"decision":"PASS"' <<<"$out" && [ -z "$(hits_of "$out")" ] ||
    { echo "FAIL malformed_message enabled = false: $out"; fail=1; }

# 2. MT103_custom_finMessage_pacs008_test_pmtTpInf.fin: "-}}", the extra "}" is the last of its 529 bytes.
out=$("$CP" screen --no-lists "$M/wso2-test/MT103_custom_finMessage_pacs008_test_pmtTpInf.fin" 2>&1)
h=$(hits_of "$out")
grep -q '"decision":"REVIEW"' <<<"$out" && grep -q '"field":"block 4"' <<<"$h" && grep -q '"offset":528}' <<<"$h" &&
    grep -q "1 stray brace '}' after the last block ignored" <<<"$h" ||
    { echo "FAIL pmtTpInf: want REVIEW with malformed_message block 4 at 528: $out"; fail=1; }

# 3. MT103-out-ack.rje: only the 11th message (20 = 0061350113089903, "-}{") has the hit, at byte 445 of its unit.
out=$("$CP" screen --no-lists "$M/prowide/MT103-out-ack.rje" 2>&1); rc=$?
[ $rc -ne 3 ] || { echo "FAIL MT103-out-ack.rje: a message could not be parsed: $out"; fail=1; }
[ "$(hits_of "$out" | wc -l)" -eq 1 ] || { echo "FAIL MT103-out-ack.rje: want exactly 1 malformed_message hit"; fail=1; }
line=$(grep -F '"message_id":"0061350113089903"' <<<"$out")
hits_of "$line" | grep -q '"offset":445}' || { echo "FAIL MT103-out-ack.rje: hit not on 0061350113089903 at 445"; fail=1; }

# 4. intact samples: no malformed_message hit anywhere
out=$("$CP" screen --no-lists "$M"/cbpr-plus/*.fin 2>&1)
[ -z "$(hits_of "$out")" ] || { echo "FAIL intact CBPR+ samples got a malformed_message hit"; fail=1; }

# 5. not safely recoverable: an error line naming the byte offset, never a decision
printf '{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:59:/1\nACME\n-}}X\n' >"$tmp/bad1.fin"
printf '{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:59:/1\nAC}ME\n-}\n' >"$tmp/bad2.fin"
printf '{1:AAAAGB2LAXXX00000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:59:/1\nACME\n-}\n' >"$tmp/bad3.fin"
for f in bad1 bad2 bad3; do
    out=$("$CP" screen --no-lists --output json "$tmp/$f.fin" 2>/dev/null); rc=$?
    [ $rc -eq 3 ] && grep -q '"error":{' <<<"$out" && ! grep -q '"decision"' <<<"$out" ||
        { echo "FAIL $f: want an error (exit 3), got $rc: $out"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok   malformed_message: 3 damaged samples REVIEW, unrecoverable damage is an error"
exit $fail
