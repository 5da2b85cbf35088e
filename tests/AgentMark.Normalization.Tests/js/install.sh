#!/usr/bin/env bash
# Installs the real instrumentation libraries the capture scripts run (pinned in package-lock.json).
# Called by scripts/test.sh (and so by .ci/run) before `dotnet test`; quick when already installed.
# The C# tests run the scripts with node and fail with a clear message when node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")"
# npm writes node_modules/.package-lock.json last: newer than the lock file means installed from it.
if [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
