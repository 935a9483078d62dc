#!/usr/bin/env bash
# Debian's prometheus on loopback for the demo SLO boards, over 30 days of
# generated demo traffic (examples/slo/demo-traffic.ts: history built into
# TSDB blocks with promtool, then a live exporter continuing the counters).
#   scripts/prometheus.sh start   # prints the URL once Prometheus is ready
#   scripts/prometheus.sh stop
# Port 9090 (CONDUCTOR_DEMO_PROMETHEUS_PORT), exporter 9091; data and log in
# ${CONDUCTOR_DEMO_DIR:-/tmp/conductor-demo}/prometheus.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
DIR="${CONDUCTOR_DEMO_DIR:-/tmp/conductor-demo}"
PORT="${CONDUCTOR_DEMO_PROMETHEUS_PORT:-9090}"
PIDFILE="$DIR/prometheus-demo.pid"
LOG="$DIR/prometheus-demo.log"
mkdir -p "$DIR"

stop() {
  if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$PIDFILE"
  fi
}

case "${1:-}" in
  start)
    command -v prometheus >/dev/null && command -v promtool >/dev/null || {
      echo "prometheus is not installed: apt-get install -y --no-install-recommends prometheus" >&2; exit 1; }
    stop
    if curl -fs --noproxy '*' "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; then
      echo "port $PORT is taken by another Prometheus (Debian's service?); stop it or set CONDUCTOR_DEMO_PROMETHEUS_PORT" >&2; exit 1
    fi
    node -r @backstage/cli/config/nodeTransform.cjs examples/slo/demo-traffic.ts "$DIR/prometheus" > "$LOG" 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 300); do
      if grep -q "ready on" "$LOG" 2>/dev/null; then echo "http://127.0.0.1:$PORT"; exit 0; fi
      kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 "$LOG" >&2; exit 1; }
      sleep 1
    done
    echo "Prometheus did not start in 300 s; see $LOG" >&2; exit 1 ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
