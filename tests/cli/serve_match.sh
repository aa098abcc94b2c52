#!/bin/bash
# POST /v1/match (a batch of structured parties -> per party the ranked hits
# with explanations, the same JSON as GET /v1/search and `chokepoint search
# --format json`), its validation and roles, and the request time budget
# (budget_ms: 503 with a clear error when a request runs over it).
#
# "Aerocaribbean Airlines" is OFAC SDN ent_num 36
# (data/lists/us-ofac-sdn/sdn.csv.gz: 36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",...).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/serve.inc

S=screener-token-0001 AN=analyst-token-0001
start_server

# --- one party: exactly the search JSON, wrapped in {"results":[...]}
search=$(api $S GET "/v1/search?name=Aerocaribbean%20Airlines&schema=organization" | body_of)
echo "$search" | grep -q '"entity_id":"us-ofac-sdn:36"' || fail "search finds us-ofac-sdn:36: $search"
out=$(api $S POST /v1/match -H 'Content-Type: application/json' \
    --data-binary '{"parties":[{"name":"Aerocaribbean Airlines","schema":"organization"}]}')
expect_eq "$(echo "$out" | status_of)" 200 "match status"
expect_eq "$(echo "$out" | body_of)" "{\"results\":[$search]}" "match JSON = search JSON"

# --- several parties, in order; a bad party is an error item, not a failed request
cat > "$tmp/parties.json" <<'JSON'
{"parties": [
  {"name": "Aerocaribbean Airlines", "schema": "organization", "country": "CU"},
  {"name": "Hans Muller", "country": "DE", "dob": "1970"},
  {"schema": "person"},
  {"name": "x", "dob": "13th of May"}
], "limit": 3}
JSON
out=$(api $S POST /v1/match --data-binary @"$tmp/parties.json")
expect_eq "$(echo "$out" | status_of)" 200 "batch match status"
body=$(echo "$out" | body_of)
n_query=$(echo "$body" | grep -o '"query":{' | wc -l)
expect_eq "$n_query" 2 "two valid parties answered"
echo "$body" | grep -q '"name":"Aerocaribbean Airlines"' || fail "party 0 query echoed"
echo "$body" | grep -q '"explanation":' || fail "hits carry explanations"
echo "$body" | grep -q '"message":"name (or id) is required","index":2' || fail "party 2 error: $body"
echo "$body" | grep -q '"message":"bad dob (want YYYY, YYYY-MM or YYYY-MM-DD)","index":3' || fail "party 3 error"
# SDN entry 36 and its CSL copy (us-csl:36) score the same; either ranks first
first=$(echo "$body" | grep -o '"entity_id":"[^"]*"' | head -n 1)
case "$first" in '"entity_id":"us-ofac-sdn:36"' | '"entity_id":"us-csl:36"') ;; *) fail "party 0 best hit: $first" ;; esac

# --- validation and roles
expect_eq "$(api $S POST /v1/match --data-binary 'nope' | status_of)" 400 "not JSON"
expect_eq "$(api $S POST /v1/match --data-binary '{"parties":[],"limit":0}' | status_of)" 400 "limit 0"
expect_eq "$(api $S GET /v1/match | status_of)" 405 "GET match"
expect_eq "$(api "" POST /v1/match --data-binary '[]' | status_of)" 401 "match without token"
expect_eq "$(api $AN POST /v1/match --data-binary '[{"name":"Hans Muller"}]' | status_of)" 200 "analyst may match"
stop_server

# --- time budget: budget_ms = 1 and a batch of 1000 parties (each search takes well over 1 us): 503 with the reason
sed -i 's/^\[server\]$/[server]\nbudget_ms = 1/' "$tmp/serve.conf"
start_server
{
    printf '{"parties":['
    for i in $(seq 1 1000); do printf '%s{"name":"Aerocaribbean Airlines %d"}' "$([ "$i" = 1 ] || echo ,)" "$i"; done
    printf ']}'
} > "$tmp/many.json"
out=$(api $S POST /v1/match --data-binary @"$tmp/many.json")
expect_eq "$(echo "$out" | status_of)" 503 "over budget"
echo "$out" | grep -q 'exceeded its time budget of 1 ms' || fail "budget error names the budget: $out"
expect_eq "$(api $S GET /healthz | status_of)" 200 "server fine after a budget refusal"
stop_server

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    sed 's/^/    /' "$tmp/server.log" | tail -n 40
    exit 1
fi
echo "serve_match: all checks passed"
