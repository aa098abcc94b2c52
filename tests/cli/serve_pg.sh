#!/usr/bin/env bash
# tests/cli/serve.sh (auth, screening that alerts, four-eyes to closed,
# good-guy suppression, reload, audit verify and tampering) with the case
# store on a throw-away PostgreSQL server (tests/cli/pg.inc). Skips (77) when
# the PostgreSQL server package is not installed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/pg.inc
trap pg_stop EXIT
export CP_DB="$PG_DSN" CP_CLEANUP_HOOK=pg_stop
. tests/cli/serve.sh
