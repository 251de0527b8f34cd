#!/usr/bin/env bash
# The crash drill on its own: starts the built server as a child process, drives webhook load
# over loopback, kills it with SIGKILL mid-load (three times), restarts it on the same data
# directory, redelivers what was not acknowledged, and checks that nothing acknowledged was
# lost, nothing was applied twice and no learner file is torn. It also runs in CI with every
# other test (scripts/test.sh). Extra arguments go to dotnet test (e.g. -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet test tests/TutorClaw.Mcp.IntegrationTests/TutorClaw.Mcp.IntegrationTests.csproj --nologo \
  --filter "FullyQualifiedName~TutorClaw.Mcp.IntegrationTests.Reliability.CrashDrillTests" \
  --logger "console;verbosity=detailed" "$@"
