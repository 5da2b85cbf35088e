#!/usr/bin/env bash
# Runs the whole test suite: installs the npm packages the cross-client tests use (once), builds,
# runs every test project, and prints one "N passed, N failed" line at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for installer in tests/*/differential/install.sh tests/*/js/install.sh; do
  [ -f "$installer" ] && bash "$installer"
done

log=$(mktemp)
set +e
dotnet test AgentMark.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line over all test assemblies ("Passed!  - Failed: 0, Passed: 17, Skipped: 0, ...").
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no tests ran" >&2
  exit 1
fi
exit "$status"
