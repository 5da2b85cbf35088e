#!/usr/bin/env bash
# Installs the differential-test oracle (@agentmark-ai/templatedx, pinned in package-lock.json).
# Called from .ci/run before `dotnet test`; the differential test fails when node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
