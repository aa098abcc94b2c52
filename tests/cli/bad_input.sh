#!/bin/bash
# Adversarial inputs found to misbehave (docs/robustness.md): each must give a
# clear error naming file/line/offset/field and a non-zero exit, never a crash,
# a sanitizer report or a silent success.
set -u
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sanitizer() { grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$1"; }

# ---- compare --tsv
# a directory given as the TSV file: was exit 0 with no output
"$CHOKEPOINT" compare --tsv "$tmp" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] || fail "compare --tsv DIR: exit 0"
grep -q "$tmp" "$tmp/err" || fail "compare --tsv DIR: error does not name the path: $(cat "$tmp/err")"
# extra column: was merged into name2 and scored
printf 'person\tPutin\tPutin\textra\n' >"$tmp/extra.tsv"
out=$("$CHOKEPOINT" compare --tsv "$tmp/extra.tsv" 2>"$tmp/err")
[ $? -eq 65 ] || fail "extra column: want exit 65"
[ "$out" = "error" ] || fail "extra column: '$out'"
grep -q 'extra.tsv:1: offset 18: more than 3' "$tmp/err" || fail "extra column message: $(cat "$tmp/err")"
# NUL byte, invalid UTF-8, empty names: were scored silently
printf 'person\tA\0B\tC\nperson\t\xff\xfe\tC\nperson\t\tC\nperson\tA\t\nperson\tPutin\tPutin\n' >"$tmp/bad.tsv"
out=$("$CHOKEPOINT" compare --tsv "$tmp/bad.tsv" 2>"$tmp/err")
[ $? -eq 65 ] || fail "bad names: want exit 65"
[ "$(echo "$out" | tr '\n' ' ')" = "error error error error 1.0000	match " ] || fail "bad names: '$out'"
grep -q 'bad.tsv:1: offset 8: NUL byte' "$tmp/err" || fail "NUL: $(cat "$tmp/err")"
grep -q 'bad.tsv:2: offset 7: invalid UTF-8' "$tmp/err" || fail "UTF-8: $(cat "$tmp/err")"
grep -q 'bad.tsv:3: offset 7: field name1: empty name' "$tmp/err" || fail "empty name1: $(cat "$tmp/err")"
grep -q 'bad.tsv:4: offset 9: field name2: empty name' "$tmp/err" || fail "empty name2: $(cat "$tmp/err")"
# negative zero score
out=$("$CHOKEPOINT" compare A C) || fail "compare A C: exit $?"
[ "$out" = "0.0000	no-match" ] || fail "compare A C: '$out'"

# ---- search
"$CHOKEPOINT" search --dob 2024-02-30 Maduro >/dev/null 2>"$tmp/err" && fail "--dob 2024-02-30 accepted"
grep -q "bad --dob" "$tmp/err" || fail "--dob message: $(cat "$tmp/err")"
# empty --country / --id: were taken as "not given"
for opt in --country --id --list; do
  "$CHOKEPOINT" search $opt '' Maduro >/dev/null 2>"$tmp/err"
  [ $? -eq 64 ] || fail "search $opt '': want exit 64"
  grep -q -- "option $opt needs a non-empty value" "$tmp/err" || fail "$opt '': $(cat "$tmp/err")"
done
# ---- screen
# NUL before a listed name in MT and CSV: was PASS (name cut at the NUL)
printf '{1:F01COBADEFFAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\n:20:PAY-1\n:23B:CRED\n:32A:240503EUR1,00\n:50K:/DE20700500000001234567\nA\n:59:/AT611904300234573201\nX\0NICOLAS MADURO MOROS\n:71A:SHA\n-}' >"$tmp/nul.fin"
printf 'id,creditor_name\nTX-2,X\0NICOLAS MADURO MOROS\n' >"$tmp/nul.csv"
for f in nul.fin nul.csv; do
  "$CHOKEPOINT" screen --no-lists "$tmp/$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 3 ] || fail "screen $f: want exit 3, got $rc: $(cat "$tmp/out" "$tmp/err")"
  grep -q "NUL byte" "$tmp/out" "$tmp/err" || fail "screen $f: no NUL error: $(cat "$tmp/out" "$tmp/err")"
done

# MT103 with an empty :59: (was PASS without a beneficiary); JSON without parties
printf '{1:F01COBADEFFAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\n:20:PAY-1\n:23B:CRED\n:32A:240503EUR1,00\n:50K:/DE20700500000001234567\nA\n:59:\n:71A:SHA\n-}' >"$tmp/empty59.fin"
printf '[{"id":"A"}]' >"$tmp/noparty.json"
printf '{4:\n:20:PAY-1\n:59:/AT61\nNICOLAS MADURO MOROS\n-}' >"$tmp/b4only.fin"
for f in empty59.fin:"mandatory field 59 (beneficiary customer) is empty" noparty.json:"no party" \
         b4only.fin:"application header (block 2) are missing"; do
  "$CHOKEPOINT" screen --no-lists "$tmp/${f%%:*}" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 3 ] || fail "screen ${f%%:*}: want exit 3, got $rc: $(cat "$tmp/out" "$tmp/err")"
  grep -q "${f#*:}" "$tmp/out" "$tmp/err" || fail "screen ${f%%:*}: $(cat "$tmp/out" "$tmp/err")"
done
# invalid UTF-8 inside an MT name: REVIEW (malformed_message), not silently dropped
printf '{1:F01COBADEFFAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\n:20:PAY-1\n:23B:CRED\n:32A:240503EUR1,00\n:50K:/DE20700500000001234567\nA\n:59:/AT611904300234573201\nNICOLAS MAD\377URO MOROS\n:71A:SHA\n-}' >"$tmp/utf8.fin"
"$CHOKEPOINT" screen --no-lists "$tmp/utf8.fin" >"$tmp/out" 2>"$tmp/err"
grep -q '"decision":"REVIEW"' "$tmp/out" || fail "invalid UTF-8 in :59: not REVIEW: $(cat "$tmp/out" "$tmp/err")"
grep -q 'invalid UTF-8 (byte 0xff) in field 59' "$tmp/out" || fail "invalid UTF-8 warning: $(cat "$tmp/out")"

for f in "$tmp"/err; do sanitizer "$f" && fail "sanitizer report: $(cat "$f")"; done
echo ok
