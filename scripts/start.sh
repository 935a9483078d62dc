#!/usr/bin/env bash
# Starts the Maestro Conductor portal with demo data on embedded SQLite:
# frontend on http://localhost:3000, backend on http://localhost:7007.
# Installs Node 22 (when the machine's node is older) and the dependencies.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
$YARN install --immutable
# The demo CI token; set your own in the environment for anything shared.
export CONDUCTOR_CI_TOKEN="${CONDUCTOR_CI_TOKEN:-demo-ci-token-change-me}"
echo "[start] CI token for the conductor CLI: CONDUCTOR_TOKEN=$CONDUCTOR_CI_TOKEN CONDUCTOR_URL=http://localhost:7007"
exec $YARN backstage-cli repo start "$@"
