#!/usr/bin/env bash
# tests/cli/serve_durability.sh (SIGKILL during a burst of alerts,
# dispositions and confirmations from 4 clients; every acknowledged write is
# there after the restart; the audit chain verifies) with the case store on a
# throw-away PostgreSQL server (tests/cli/pg.inc). After the SIGKILL the
# PostgreSQL server is crashed as well (pg_ctl stop -m immediate: no
# checkpoint, the WAL is replayed at restart), so an acknowledged write must
# have been in PostgreSQL's flushed WAL (synchronous_commit=on), not just in
# its memory. Skips (77) when the PostgreSQL server package is not installed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/pg.inc
trap pg_stop EXIT
export CP_DB="$PG_DSN" CP_CLEANUP_HOOK=pg_stop CP_CRASH_DB_HOOK=pg_crash_restart
. tests/cli/serve_durability.sh
