#!/bin/bash
# chokepoint serve end to end, on 127.0.0.1 with a free port and a temp case
# store: 401/403, screening a payment that must alert, four-eyes review of its
# alerts to closed, the good-guy list suppressing the same party afterwards,
# search/entities/lists/metrics, body size limit, list reload, and
# `chokepoint audit verify` passing (then failing after tampering).
#
# The payment names "Aerocaribbean Airlines" as creditor: OFAC SDN ent_num 36
# (data/lists/us-ofac-sdn/sdn.csv.gz: 36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",...)
# and its copy in the CSL (us-csl:36); both are party hits with action REVIEW
# under data/policy/default.policy, so two alerts.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/serve.inc

S=screener-token-0001 AN=analyst-token-0001 CH=checker-token-0001 CH2=checker-token-0002 AD=admin-token-000001
start_server

# --- authentication and roles
expect_eq "$(api "" GET /healthz | status_of)" 200 "healthz without token"
expect_eq "$(api "" GET /readyz | status_of)" 401 "readyz without token"
expect_eq "$(api "" GET /v1/search?name=x | status_of)" 401 "search without token"
expect_eq "$(api wrong-token-000000 GET /v1/lists | status_of)" 401 "unknown token"
expect_eq "$(api "" POST /v1/screen --data-binary @tests/fixtures/transactions/example.json | status_of)" 401 \
    "screen without token"
expect_eq "$(api $S GET /v1/alerts | status_of)" 403 "screener reads alerts"
expect_eq "$(api $AN POST /v1/lists/reload | status_of)" 403 "analyst reloads lists"
expect_eq "$(api $S GET /v1/nothing | status_of)" 404 "unknown endpoint"
expect_eq "$(api $S GET /v1/screen | status_of)" 405 "GET on screen"

# --- screen a payment that must alert
cat > "$tmp/tx.json" <<'TX'
{"id": "TX-SERVE-1", "type": "payment", "currency": "EUR", "amount": "1200.00",
 "debtor": {"name": "Hans Muller", "country": "DE"},
 "creditor": {"name": "Aerocaribbean Airlines", "type": "organization"}}
TX
out=$(api $S POST /v1/screen --data-binary @"$tmp/tx.json")
expect_eq "$(echo "$out" | status_of)" 200 "screen status"
body=$(echo "$out" | body_of)
expect_eq "$(echo "$body" | jfield decision)" REVIEW "screen decision"
expect_eq "$(echo "$body" | jfield effective_decision)" REVIEW "effective decision"
alerts=$(echo "$body" | jarray alerts)
a1=${alerts%%,*}
a2=${alerts##*,}
[ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" != "$a2" ] || fail "two alerts expected, got '$alerts'"
echo "$body" | grep -q '"entity_id":"us-ofac-sdn:36"' || fail "SDN 36 hit missing"

out=$(api $AN GET "/v1/alerts?status=open")
expect_eq "$(echo "$out" | status_of)" 200 "alerts list"
echo "$out" | grep -q "\"id\":$a1," || fail "alert $a1 not in the open queue"
out=$(api $AN GET "/v1/alerts/$a1")
expect_eq "$(echo "$out" | status_of)" 200 "alert detail"
echo "$out" | grep -q '"message_id":"TX-SERVE-1"' || fail "alert keeps the message id"
echo "$out" | grep -q '"policy":"default sha256:' || fail "alert keeps the policy version"
echo "$out" | grep -q '"result":{' || fail "alert keeps the full result"
expect_eq "$(api $AN GET /v1/alerts/999999 | status_of)" 404 "unknown alert"

# --- a goods/route/rule alert names its rule: examples/mt103_hk_microcontrollers.fin (a Hong Kong buyer,
# HS 8542.31 = CHPL tier 1) gives one REVIEW rule hit under data/policy/default.policy:
#   {"kind":"rule","field":"70","value":"8542.31","rule":"chpl_transshipment","score":0.8,"action":"REVIEW",...}
out=$(api $S POST /v1/screen --data-binary @examples/mt103_hk_microcontrollers.fin)
expect_eq "$(echo "$out" | status_of)" 200 "screen CHPL/transshipment"
ra=$(echo "$out" | body_of | jarray alerts)
[ -n "$ra" ] && [ "${ra#*,}" = "$ra" ] || fail "one rule alert expected, got '$ra'"
out=$(api $AN GET "/v1/alerts/$ra")
expect_eq "$(echo "$out" | status_of)" 200 "rule alert detail"
expect_eq "$(echo "$out" | jfield rule)" chpl_transshipment "rule alert: rule name"
expect_eq "$(echo "$out" | jfield hit_kind)" rule "rule alert: hit kind"
expect_eq "$(echo "$out" | jfield hit_field)" 70 "rule alert: field"
expect_eq "$(echo "$out" | jfield rule_score)" 0.80000000000000004 "rule alert: the rule's own score"
echo "$out" | grep -q '"entity_id":null' || fail "rule alert has no list entity"
out=$(api $AN GET "/v1/alerts?status=open&limit=1")
echo "$out" | grep -q "\"id\":$ra,.*\"rule\":\"chpl_transshipment\"" || fail "rule name not in the queue: $out"
out=$(api $AN GET "/v1/audit?limit=1000")
echo "$out" | grep -q "\"action\":\"alert.created\",\"object\":\"alert:$ra\",\"detail\":{[^}]*\"rule\":\"chpl_transshipment\"" ||
    fail "audit of the rule alert's creation names no rule"

# --- four-eyes review of both alerts: alice proposes, bob/carl confirm
fp='{"decision":"false_positive","comment":"creditor is a German travel agency, not the Cuban airline"}'
for a in $a1 $a2; do
    expect_eq "$(api $S POST /v1/alerts/$a/disposition -d "$fp" | status_of)" 403 "screener disposition $a"
    expect_eq "$(api $AN POST /v1/alerts/$a/disposition -d '{"decision":"maybe","comment":"x"}' | status_of)" 400 \
        "bad decision $a"
    out=$(api $AN POST /v1/alerts/$a/disposition -d "$fp")
    expect_eq "$(echo "$out" | status_of)" 200 "analyst proposes $a"
    expect_eq "$(echo "$out" | jfield status)" pending_confirmation "after proposal $a"
    # the same user cannot confirm; another analyst cannot confirm either
    out=$(api $AN POST /v1/alerts/$a/disposition -d "$fp")
    expect_eq "$(echo "$out" | status_of)" 403 "analyst confirms $a"
    echo "$out" | grep -q 'four-eyes' || fail "four-eyes message missing: $out"
    expect_eq "$(api $CH POST /v1/alerts/$a/disposition \
        -d '{"decision":"true_match","comment":"disagree"}' | status_of)" 409 "checker disagrees $a"
done
out=$(api $CH POST /v1/alerts/$a1/disposition -d '{"decision":"false_positive","comment":"agreed"}')
expect_eq "$(echo "$out" | status_of)" 200 "bob confirms $a1"
expect_eq "$(echo "$out" | jfield status)" closed "closed after confirmation $a1"
out=$(api $CH2 POST /v1/alerts/$a2/disposition -d '{"decision":"false_positive","comment":"agreed"}')
expect_eq "$(echo "$out" | status_of)" 200 "carl confirms $a2"
expect_eq "$(echo "$out" | jfield status)" closed "closed after confirmation $a2"
expect_eq "$(api $CH POST /v1/alerts/$a1/disposition -d "$fp" | status_of)" 409 "closed alert is final"

# --- the same party is suppressed now (also with other spelling/case)
sed 's/Aerocaribbean Airlines/AEROCARIBBEAN  airlines/; s/TX-SERVE-1/TX-SERVE-2/' "$tmp/tx.json" > "$tmp/tx2.json"
out=$(api $S POST /v1/screen --data-binary @"$tmp/tx2.json")
body=$(echo "$out" | body_of)
expect_eq "$(echo "$out" | status_of)" 200 "rescreen status"
expect_eq "$(echo "$body" | jfield decision)" REVIEW "rescreen raw decision"
expect_eq "$(echo "$body" | jfield effective_decision)" PASS "rescreen effective decision"
expect_eq "$(echo "$body" | jarray alerts)" "" "no new alert"
echo "$body" | grep -q '"suppressed":\[{"party":"AEROCARIBBEAN  airlines","entity_id":"us-csl:36"' ||
    fail "suppression not reported: $body"
out=$(api $AN GET "/v1/suppressions?active=1")
expect_eq "$(echo "$out" | grep -o '"active":true' | wc -l)" 2 "two active suppressions"
echo "$out" | grep -q '"party_key":"aerocaribbean airlines"' || fail "suppression key"

# --- batch, search, entities, lists
out=$(api $S POST /v1/screen/batch \
    -d '{"messages":[{"data":"{\"id\":\"B1\",\"creditor\":{\"name\":\"Hans Muller\"},\"debtor\":{\"name\":\"Erika Mustermann\"}}","format":"json"}, 42]}')
expect_eq "$(echo "$out" | status_of)" 200 "batch"
echo "$out" | grep -q '"message_id":"B1","format":"json"' || fail "batch result: $out"
echo "$out" | grep -q '"status":400' || fail "batch bad item: $out"
out=$(api $S GET "/v1/search?name=Aerocaribbean%20Airlines&limit=3")
expect_eq "$(echo "$out" | status_of)" 200 "search"
echo "$out" | grep -q '"entity_id":"us-ofac-sdn:36"' || fail "search finds SDN 36"
expect_eq "$(api $S GET "/v1/search?name=x&dob=1972-13" | status_of)" 400 "search bad dob"
out=$(api $S GET /v1/entities/us-ofac-sdn:36)
expect_eq "$(echo "$out" | status_of)" 200 "entity"
echo "$out" | grep -q '"name":"AEROCARIBBEAN AIRLINES","kind":"primary"' || fail "entity names: $out"
echo "$out" | grep -q '"list_version":"2024-05-03"' || fail "entity list version"
expect_eq "$(api $S GET /v1/entities/us-ofac-sdn:0 | status_of)" 404 "unknown entity"
out=$(api $S GET /v1/lists)
echo "$out" | grep -q '"id":"us-ofac-sdn"' || fail "lists"

# --- limits and errors
head -c 70000 /dev/zero | tr '\0' 'x' > "$tmp/big"
expect_eq "$(api $S POST /v1/screen --data-binary @"$tmp/big" | status_of)" 413 "body over max_body"
expect_eq "$(api $S POST /v1/screen -d 'not a message' | status_of)" 422 "unparsable message"

# --- reload (admin) while screenings are in flight: all of them succeed
inflight=()
for k in 1 2 3; do
    (for i in $(seq 1 15); do echo "$(api $S POST /v1/screen --data-binary @"$tmp/tx2.json" | status_of)"; done \
        > "$tmp/inflight.$k") &
    inflight+=($!)
done
out=$(api $AD POST /v1/lists/reload)
expect_eq "$(echo "$out" | status_of)" 200 "reload"
for p in "${inflight[@]}"; do wait "$p"; done
expect_eq "$(cat "$tmp"/inflight.* | grep -c '^200$')" 45 "screenings around a reload"
out=$(api $S GET /metrics)
expect_eq "$(echo "$out" | status_of)" 200 "metrics"
echo "$out" | grep -q '^chokepoint_decisions_total{decision="REVIEW"} [1-9]' || fail "metrics decisions"
echo "$out" | grep -q '^chokepoint_request_duration_seconds_bucket{route="/v1/screen",le="+Inf"} [1-9]' ||
    fail "metrics histogram"
echo "$out" | grep -q '^chokepoint_list_age_seconds{list="us-ofac-sdn"} [0-9]' || fail "metrics list age"
# one age per loaded list (every bundled list's version is its data date, YYYY-MM-DD)
expect_eq "$(echo "$out" | grep -c '^chokepoint_list_age_seconds{list="[a-z-]*"} [0-9]')" \
    "$(echo "$out" | grep -c '^chokepoint_list_entities{list=')" "metrics: a list age per list"
echo "$out" | grep -q '^chokepoint_alerts{status="closed"} 2$' || fail "metrics alerts closed"

# --- nothing secret in the log
grep -q 'token-000' "$tmp/server.log" && fail "a token is in the server log"
grep -q 'Aerocaribbean\|Muller' "$tmp/server.log" && fail "message content is in the server log"

# --- audit chain: verify passes (also while the server runs), then tampering is found
out=$("$CHOKEPOINT" audit verify --db "$CP_DB")
expect_eq "$?" 0 "audit verify exit"
echo "$out" | grep -q '^audit chain OK: ' || fail "audit verify: $out"
out=$(api $AN GET "/v1/audit?limit=1000")
for act in alert.created alert.disposition alert.confirmed suppression.created alert.suppressed lists.reload; do
    echo "$out" | grep -q "\"action\":\"$act\"" || fail "audit has no $act"
done
stop_server
case "$CP_DB" in postgres*) tamper=(psql -q "$CP_DB" -c) ;; *) tamper=(sqlite3 "$CP_DB") ;; esac
if command -v "${tamper[0]}" >/dev/null; then
    "${tamper[@]}" "UPDATE audit SET actor = 'mallory' WHERE seq = 3"
    out=$("$CHOKEPOINT" audit verify --db "$CP_DB")
    expect_eq "$?" 1 "audit verify after tampering"
    echo "$out" | grep -q 'BROKEN at record 3' || fail "tampered record not named: $out"
else
    echo "note: ${tamper[0]} command not installed; tampering is covered by test_cases"
fi

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 40
    exit 1
fi
echo "serve: all checks passed"
