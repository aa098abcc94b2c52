#!/usr/bin/env bash
# The case store unit tests (tests/unit/test_cases.c: four-eyes, good-guy
# list, audit tampering, concurrent writers) against a throw-away PostgreSQL
# server (tests/cli/pg.inc). Skips (77) when the PostgreSQL server package is
# not installed or the unit test binary is not built.
set -u
cd "$(dirname "$0")/../.."
bin="${CP_BUILD_DIR:-build}/test_cases"
[ -x "$bin" ] || { echo "SKIP: $bin not built"; exit 77; }
. tests/cli/pg.inc
trap pg_stop EXIT
CP_TEST_PG_DSN="$PG_DSN" "$bin"
