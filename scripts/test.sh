#!/usr/bin/env bash
# Runs every test of Maestro Conductor on a fresh machine:
#   - installs Node 22 (when older), the yarn dependencies, and the Debian
#     packages the tests need (postgresql, chromium);
#   - type-checks the repository;
#   - unit, backend (SQLite and a real PostgreSQL 15 started here on loopback)
#     and frontend tests with the Backstage CLI (jest);
#   - builds the portal and runs the Playwright test in Debian's chromium
#     against the real backend serving it.
# Usage: scripts/test.sh [--no-e2e]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
RUN_E2E=1
[ "${1:-}" = "--no-e2e" ] && RUN_E2E=0
started=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - started ))s] $*"; }

step "Debian packages"
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ "$RUN_E2E" = 0 ] || [ -x /usr/bin/chromium ] || need+=(chromium)
# Debian's prometheus and promtool: the SLO tests run against a real Prometheus.
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "node $(node --version); postgresql $(ls /usr/lib/postgresql); chromium: $([ -x /usr/bin/chromium ] && echo yes || echo no)"

step "yarn install"
$YARN install --immutable

step "formatting, type check and lint"
$YARN prettier --check . >/dev/null || { $YARN prettier --list-different .; echo "Unformatted files above: run yarn prettier --write ." >&2; exit 1; }
$YARN tsc
$YARN backstage-cli repo lint

step "PostgreSQL 15 on loopback"
PG_URL="$(bash scripts/postgres.sh start)"
BACKEND_PID=""
cleanup() {
  [ -n "$BACKEND_PID" ] && kill "$BACKEND_PID" 2>/dev/null || true
  bash "$REPO_ROOT/scripts/postgres.sh" stop
}
trap cleanup EXIT
echo "$PG_URL"

step "unit, backend and frontend tests (SQLite + PostgreSQL)"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$PG_URL"
CI=true $YARN backstage-cli repo test --maxWorkers=2

if [ "$RUN_E2E" = 1 ]; then
  step "build the portal frontend"
  (cd packages/app && $YARN backstage-cli package build) > /tmp/conductor-app-build.log 2>&1 || { tail -40 /tmp/conductor-app-build.log; exit 1; }

  step "start the backend serving the portal (embedded SQLite, demo data)"
  export CONDUCTOR_CI_TOKEN="e2e-ci-token-0123456789"
  # The tests start compliance runs themselves: the demo's scheduled first
  # run must not land between two of theirs.
  export APP_CONFIG_conductor_compliance_schedule_initialDelay='{"hours":24}'
  # Plain node, not the dev server: its file watcher restarts the backend
  # (emptying the in-memory demo database) when anything in the tree changes.
  (cd packages/backend && exec node --enable-source-maps -r @backstage/cli/config/nodeTransform.cjs src/index) > /tmp/conductor-e2e-backend.log 2>&1 &
  BACKEND_PID=$!
  for i in $(seq 1 120); do
    curl -fs http://localhost:7007/api/conductor/health >/dev/null 2>&1 && break
    kill -0 "$BACKEND_PID" 2>/dev/null || { tail -50 /tmp/conductor-e2e-backend.log; exit 1; }
    sleep 1
  done

  step "Playwright in Debian chromium"
  PLAYWRIGHT_URL=http://localhost:7007 $YARN playwright test
fi

step "all tests passed in $(( $(date +%s) - started ))s"
