#!/bin/bash
# Durability of the case store: SIGKILL `chokepoint serve` during a burst of
# writes (screenings that create alerts, dispositions, four-eyes
# confirmations) from 4 concurrent clients, restart it on the same database,
# and check that every write the server acknowledged (HTTP 200) is there and
# that the audit chain verifies. The kill comes after a number of
# acknowledgements, never after a fixed time. The store is $CP_DB (default a
# SQLite file; tests/cli/serve_durability_pg.sh runs it on PostgreSQL and also
# crashes the PostgreSQL server after the kill).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/serve.inc

S=screener-token-0001 AN=analyst-token-0001 CH=checker-token-0001
WORKERS=4
KILL_AFTER=${KILL_AFTER:-150}   # acknowledged writes before the kill
start_server

# worker K: screen (2 alerts each), propose, confirm ... until the server is gone.
worker() {
    local k=$1 i=0 out st id
    local ack="$tmp/ack.$k"
    : > "$ack"
    while :; do
        i=$((i + 1))
        out=$(printf '{"id":"DUR-%s-%s","creditor":{"name":"Aerocaribbean Airlines","type":"organization"}}' "$k" "$i" |
            api $S POST /v1/screen --data-binary @-)
        st=$(echo "$out" | status_of)
        [ "$st" = 200 ] || return 0
        for id in $(echo "$out" | body_of | jarray alerts | tr ',' ' '); do
            echo "alert $id" >> "$ack"
        done
        for id in $(echo "$out" | body_of | jarray alerts | tr ',' ' '); do
            st=$(api $AN POST /v1/alerts/$id/disposition -d '{"decision":"true_match","comment":"listed airline"}' |
                status_of)
            [ "$st" = 200 ] || return 0
            echo "pending $id" >> "$ack"
            st=$(api $CH POST /v1/alerts/$id/disposition -d '{"decision":"true_match","comment":"confirmed"}' |
                status_of)
            [ "$st" = 200 ] || return 0
            echo "closed $id" >> "$ack"
        done
    done
}

pids=()
for k in $(seq 1 $WORKERS); do
    worker "$k" &
    pids+=($!)
done
acked() { cat "$tmp"/ack.* 2>/dev/null | wc -l; }
for _ in $(seq 1 1200); do
    [ "$(acked)" -ge "$KILL_AFTER" ] && break
    sleep 0.05
done
n_before=$(acked)
kill -KILL "$srv_pid"
wait "$srv_pid" 2>/dev/null
srv_pid=""
for p in "${pids[@]}"; do wait "$p"; done
n=$(acked)
[ "$n_before" -ge "$KILL_AFTER" ] || fail "only $n_before writes acknowledged before the kill"
echo "killed the server after $n_before acknowledged writes ($n acknowledged in all)"
# CP_CRASH_DB_HOOK: a command that crashes and restarts the database server
# too (serve_durability_pg.sh: PostgreSQL immediate shutdown, WAL replay).
if [ -n "${CP_CRASH_DB_HOOK:-}" ]; then
    $CP_CRASH_DB_HOOK || fail "database crash/restart hook failed"
    echo "crashed and restarted the database server"
fi

# The audit chain survives the crash (checked before the restart, too).
out=$("$CHOKEPOINT" audit verify --db "$CP_DB")
expect_eq "$?" 0 "audit verify after SIGKILL"
echo "$out"

start_server
missing=0
while read -r what id; do
    st=$(api $AN GET /v1/alerts/$id | body_of | jfield status)
    case "$what:$st" in
        alert:open | alert:pending_confirmation | alert:closed) ;;
        pending:pending_confirmation | pending:closed) ;;
        closed:closed) ;;
        *) missing=$((missing + 1)); [ $missing -le 5 ] && fail "acknowledged '$what' of alert $id lost (status '$st')" ;;
    esac
done < <(cat "$tmp"/ack.*)
expect_eq "$missing" 0 "acknowledged writes lost"

# Every acknowledged write has its audit record.
records=$("$CHOKEPOINT" audit verify --db "$CP_DB" | sed -n 's/^audit chain OK: \([0-9]*\) records.*/\1/p')
[ -n "$records" ] && [ "$records" -ge "$n" ] || fail "audit has ${records:-?} records for $n acknowledged writes"
# The store keeps working after recovery.
out=$(printf '{"id":"DUR-after","creditor":{"name":"Aerocaribbean Airlines"}}' | api $S POST /v1/screen --data-binary @-)
expect_eq "$(echo "$out" | status_of)" 200 "screen after restart"
stop_server
out=$("$CHOKEPOINT" audit verify --db "$CP_DB")
expect_eq "$?" 0 "audit verify after restart"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s); server log:"
    tail -n 30 "$tmp/server.log" | sed 's/^/    /'
    exit 1
fi
echo "serve_durability: all checks passed"
