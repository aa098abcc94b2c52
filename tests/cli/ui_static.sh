#!/bin/bash
# The web UI's static files (src/server/static.c, docs/ui.md): served at / and
# /ui/ without a token, with the right content types, Cache-Control and a CSP;
# no directory traversal, no hidden files, no directory listings, no unknown
# file types; only GET/HEAD; `serve --web DIR` serves another folder. Needs curl
# only (the browser test is tests/cli/ui_e2e.sh).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/serve.inc

# code_type PATH [curl args]: "STATUS CONTENT-TYPE" (path sent as is)
code_type() { local p=$1; shift; curl -s -o /dev/null --path-as-is -w '%{http_code} %{content_type}' "$@" "http://127.0.0.1:$port$p"; }
header() { curl -s -o /dev/null -D - --path-as-is "http://127.0.0.1:$port$1" | tr -d '\r' | grep -i "^$2:" | head -n 1 | cut -d' ' -f2-; }

start_server
expect_eq "$(code_type /)" "200 text/html; charset=utf-8" "GET /"
expect_eq "$(code_type /ui/)" "200 text/html; charset=utf-8" "GET /ui/"
expect_eq "$(code_type /ui/app.css)" "200 text/css; charset=utf-8" "css"
expect_eq "$(code_type /ui/js/app.js)" "200 text/javascript; charset=utf-8" "js module"
expect_eq "$(code_type /ui/favicon.svg)" "200 image/svg+xml" "svg"
expect_eq "$(code_type /ui/app.css -I)" "200 text/css; charset=utf-8" "HEAD"
cmp -s <(curl -s "http://127.0.0.1:$port/ui/js/app.js") web/js/app.js || fail "app.js served differs from web/js/app.js"
expect_eq "$(header / Cache-Control)" "no-cache" "Cache-Control"
csp=$(header / Content-Security-Policy)
case "$csp" in *"default-src 'none'"*"script-src 'self'"*"frame-ancestors 'none'"*) ;; *) fail "CSP: '$csp'" ;; esac
expect_eq "$(header /ui/app.css X-Content-Type-Options)" "nosniff" "nosniff"
expect_eq "$(header /ui/app.css X-Frame-Options)" "DENY" "X-Frame-Options"
case "$(header /healthz Content-Security-Policy)" in "default-src 'none'"*) ;; *) fail "API answers carry no CSP" ;; esac

# traversal, hidden files, directories, unknown types, methods
for p in /ui/../CMakeLists.txt /ui/..%2fCMakeLists.txt /ui/%2e%2e/CMakeLists.txt /ui/js/../../CMakeLists.txt \
         /ui/./app.css /ui//app.css /ui/.gitignore /ui/js /ui/js/ /ui/nothing.js /ui/index.htm \
         /ui/app.css~ /uix /ui/%2fetc/passwd; do
    expect_eq "$(code_type "$p" | cut -d' ' -f1)" 404 "GET $p"
done
# MHD cuts the decoded path at %00: refused before it would serve app.css
expect_eq "$(code_type /ui/app.css%00.png | cut -d' ' -f1)" 404 "NUL in the path"
expect_eq "$(code_type /ui/app.css -X POST -d x | cut -d' ' -f1)" 405 "POST on a UI file"
expect_eq "$(header /ui/app.css? Allow)" "" "no Allow header on 200"
# the UI needs no token, the API still does
expect_eq "$(code_type /v1/lists | cut -d' ' -f1)" 401 "API without a token"
out=$(api analyst-token-0001 GET /v1/me)
expect_eq "$(echo "$out" | status_of)" 200 "GET /v1/me"
expect_eq "$(echo "$out" | body_of)" '{"user":"alice","role":"analyst"}' "who am I"
expect_eq "$(api "" GET /v1/me | status_of)" 401 "GET /v1/me without a token"
stop_server

# --web DIR; a symlink out of it is refused
mkdir -p "$tmp/web/js"
echo '<!doctype html><title>other</title>' > "$tmp/web/index.html"
echo 'secret' > "$tmp/outside.txt"
ln -s "$tmp/outside.txt" "$tmp/web/leak.txt"
rm -f "$tmp/port"
"$CHOKEPOINT" serve --config "$tmp/serve.conf" --listen 127.0.0.1:0 --port-file "$tmp/port" \
    --db "$tmp/cases.db" --web "$tmp/web" 2>> "$tmp/server.log" &
srv_pid=$!
for _ in $(seq 1 600); do [ -s "$tmp/port" ] && break; kill -0 "$srv_pid" 2>/dev/null || break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
[ -n "$port" ] || { cat "$tmp/server.log"; exit 1; }
curl -s "http://127.0.0.1:$port/" | grep -q '<title>other</title>' || fail "--web DIR not served"
expect_eq "$(code_type /ui/leak.txt | cut -d' ' -f1)" 404 "symlink out of the web dir"
stop_server

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 20
    exit 1
fi
echo "ui_static: all checks passed"
