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
# SLO boards: Debian's prometheus over generated demo traffic, installed like
# scripts/test.sh does; it starts in the background (about a minute to build
# 30 days of blocks) and stops with the portal. Without it the boards say
# that no Prometheus is configured.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } ||
    echo "[start] could not install prometheus: the SLO boards will say that no Prometheus is configured"
fi
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  export CONDUCTOR_PROMETHEUS_URL="http://127.0.0.1:${CONDUCTOR_DEMO_PROMETHEUS_PORT:-9090}"
  bash scripts/prometheus.sh start >/dev/null &
  trap 'bash "$REPO_ROOT/scripts/prometheus.sh" stop' EXIT
  echo "[start] demo Prometheus for the SLO boards: $CONDUCTOR_PROMETHEUS_URL (log in ${CONDUCTOR_DEMO_DIR:-/tmp/conductor-demo})"
fi
$YARN backstage-cli repo start "$@"
