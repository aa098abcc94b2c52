#!/bin/bash
# Hostile query strings and paths on `chokepoint serve` (docs/robustness.md):
# MHD hands query values and the path out as C strings, cut at a decoded %00,
# so "name=VTB%00BANK" searched "VTB" and "/ui/app.css%00.png" served app.css.
# A NUL or invalid UTF-8 in a query parameter is a 400 naming the parameter;
# a %00 in the path is a 404. Needs curl only.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/serve.inc

code() { curl -s -o "$tmp/body" --path-as-is -w '%{http_code}' -H 'Authorization: Bearer analyst-token-0001' "http://127.0.0.1:$port$1"; }

start_server
expect_eq "$(code '/v1/search?name=VTB%00BANK')" 400 "NUL in name"
grep -q "query parameter 'name': NUL byte" "$tmp/body" || fail "NUL in name: body $(cat "$tmp/body")"
expect_eq "$(code '/v1/search?name=%FF%FE')" 400 "invalid UTF-8 in name"
grep -q "query parameter 'name': invalid UTF-8" "$tmp/body" || fail "UTF-8: body $(cat "$tmp/body")"
expect_eq "$(code '/v1/search?name=Maduro&country=%C0%80')" 400 "overlong UTF-8 in country"
grep -q "query parameter 'country'" "$tmp/body" || fail "country: body $(cat "$tmp/body")"
expect_eq "$(code '/v1/search?name=Maduro&x%00y=1')" 400 "NUL in a parameter name"
expect_eq "$(code '/v1/alerts?status=open%00')" 400 "NUL on another route"
# valid UTF-8 still searches
expect_eq "$(code '/v1/search?name=%D0%92%D0%A2%D0%91')" 200 "Cyrillic name"
expect_eq "$(code '/v1/search?name=Maduro')" 200 "plain name"
# %00 in the path: no file, no route
expect_eq "$(code '/ui/app.css%00.png')" 404 "NUL in a UI path"
expect_eq "$(code '/v1/lists%00x')" 404 "NUL in an API path"
expect_eq "$(code '/ui/app.css?v=%00')" 400 "NUL in a UI query"
expect_eq "$(code '/ui/app.css')" 200 "UI file"
stop_server
grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/server.log" && fail "sanitizer report"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 20
    exit 1
fi
echo "serve_bad_query: all checks passed"
