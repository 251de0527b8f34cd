#!/usr/bin/env bash
# Builds the server as one self-contained executable for linux-x64, precompiled (ReadyToRun):
# no .NET runtime needed on the target machine.
#   scripts/publish.sh [OUTPUT_DIR]        (default: artifacts/publish/linux-x64)
# The output holds TutorClaw.Mcp (the program) and appsettings.json (its defaults).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/publish/linux-x64}"
dotnet publish "$root/src/TutorClaw.Mcp/TutorClaw.Mcp.csproj" \
  -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true \
  -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none \
  -o "$out" -nologo -v quiet
echo "$out/TutorClaw.Mcp"
