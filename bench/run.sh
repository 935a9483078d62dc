#!/usr/bin/env bash
# Runs a benchmark under bench/: bash bench/run.sh gate
# (bench/slo starts its own Prometheus on 127.0.0.1:19095; it needs Debian's prometheus.)
# Starts the throwaway PostgreSQL (scripts/postgres.sh) so both databases are measured.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$REPO_ROOT"
name="${1:?usage: bench/run.sh <gate|controls|backfill|slo|golden-paths|lineage|lineage-browser>}"
$YARN install --immutable >/dev/null
# lineage-browser drives Debian's chromium with Playwright and needs no database.
[ "$name" = lineage-browser ] && exec env NODE_ENV=production node -r @backstage/cli/config/nodeTransform.cjs bench/lineage-browser/run.ts
# Its own PostgreSQL (port and data folder), so that stopping it at the end
# never stops or deletes the one the tests use (scripts/postgres.sh's default).
export CONDUCTOR_PGPORT="${CONDUCTOR_PGPORT:-55440}"
export CONDUCTOR_PGDATA="${CONDUCTOR_PGDATA:-/tmp/conductor-pg-bench-$(id -u)}"
export BENCH_POSTGRES_URL="$(bash scripts/postgres.sh start)"
trap 'bash "$REPO_ROOT/scripts/postgres.sh" stop' EXIT
NODE_ENV=production node --expose-gc -r @backstage/cli/config/nodeTransform.cjs "bench/$name/run.ts"
