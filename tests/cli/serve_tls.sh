#!/bin/bash
# chokepoint serve over HTTPS: a self-signed certificate made with openssl
# for 127.0.0.1, [server] tls_cert / tls_key in the config, /healthz and an
# authenticated /readyz over https with curl --cacert; plain HTTP on the same
# port gets no answer; a config with a certificate but no key is refused.
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${CHOKEPOINT:?set CHOKEPOINT to the built command}"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }
command -v openssl >/dev/null || { echo "SKIP: openssl not installed (scripts/setup installs it)"; exit 77; }
unset CHOKEPOINT_DATA CHOKEPOINT_POLICY CHOKEPOINT_REFDATA
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

tmp=$(mktemp -d /tmp/cp-serve-tls-XXXXXX)
srv_pid=""
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cleanup() {
    if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A P-256 key and a self-signed certificate for IP 127.0.0.1 (valid 2 days).
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>"$tmp/openssl.log"; then
    echo "FAIL: openssl:"; cat "$tmp/openssl.log"; exit 1
fi

cat > "$tmp/serve.conf" <<CONF
[server]
threads = 2
tls_cert = $tmp/cert.pem
tls_key = $tmp/key.pem
[tokens]
sam = screener plain:screener-token-0001
CONF

"$CHOKEPOINT" serve --config "$tmp/serve.conf" --listen 127.0.0.1:0 --port-file "$tmp/port" \
    --db "$tmp/cases.db" 2>> "$tmp/server.log" &
srv_pid=$!
for _ in $(seq 1 600); do
    [ -s "$tmp/port" ] && break
    kill -0 "$srv_pid" 2>/dev/null || { echo "FAIL: server died:"; cat "$tmp/server.log"; exit 1; }
    sleep 0.1
done
[ -s "$tmp/port" ] || { echo "FAIL: server did not start"; cat "$tmp/server.log"; exit 1; }
port=$(cat "$tmp/port")
url="https://127.0.0.1:$port"

code=$(curl -s --cacert "$tmp/cert.pem" -o "$tmp/out" -w '%{http_code}' "$url/healthz")
[ "$code" = 200 ] || fail "https healthz: $code"
grep -q '"status":"ok"' "$tmp/out" || fail "healthz body: $(cat "$tmp/out")"
code=$(curl -s --cacert "$tmp/cert.pem" -o /dev/null -w '%{http_code}' \
    -H 'Authorization: Bearer screener-token-0001' "$url/readyz")
[ "$code" = 200 ] || fail "https readyz with token: $code"
code=$(curl -s --cacert "$tmp/cert.pem" -o /dev/null -w '%{http_code}' "$url/readyz")
[ "$code" = 401 ] || fail "https readyz without token: $code"
# Without the CA the certificate is not trusted.
curl -s -o /dev/null "$url/healthz" && fail "self-signed certificate accepted without --cacert"
# Plain HTTP to the TLS port gets no HTTP answer.
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$code" = 200 ] && fail "plain http answered on the TLS port"
grep -q 'listening on 127.0.0.1:[0-9]* (https)' "$tmp/server.log" || fail "log does not say https"
kill "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid=""

# A certificate without a key is a configuration error.
sed -i '/^tls_key/d' "$tmp/serve.conf"
if "$CHOKEPOINT" serve --config "$tmp/serve.conf" --listen 127.0.0.1:0 --db "$tmp/cases.db" 2>"$tmp/err.log"; then
    fail "serve started with tls_cert and no tls_key"
fi
grep -q 'tls_key' "$tmp/err.log" || fail "error does not name tls_key: $(cat "$tmp/err.log")"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 20
    exit 1
fi
echo "serve_tls: all checks passed"
