#!/usr/bin/env bash
# The stress trials and the whole suite on a throwaway PostgreSQL cluster
# (tests/pg_cluster.sh), stopped at the end whatever happens. The suite runs
# with the machine's clock years ahead (tests/anytime.sh), so this one pass
# also finds a test that would only pass today.
#
#   tests/on_postgres.sh [STRESS_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=$(mktemp -d)
trap 'tests/pg_cluster.sh stop "$cluster" || true; rm -rf "$cluster"' EXIT
KEYWORK_TEST_DB=$(tests/pg_cluster.sh start "$cluster")
export KEYWORK_TEST_DB
.venv/bin/python tests/stress.py --server "$KEYWORK_TEST_DB" "$@"
tests/anytime.sh "UTC|2031-06-15 12:00:00"
