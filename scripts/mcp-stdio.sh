#!/usr/bin/env bash
# The stdio server for an MCP client started in this checkout (.mcp.json): builds the Release
# server only when a source file is newer than the last build, then runs it with --stdio.
# Build output goes to stderr: stdout carries nothing but JSON-RPC.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dll="$root/src/TutorClaw.Mcp/bin/Release/net10.0/TutorClaw.Mcp.dll"
if [ ! -f "$dll" ] || [ -n "$(find "$root/src" "$root/Directory.Packages.props" "$root/Directory.Build.props" "$root/appsettings.json" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -newer "$dll" -print -quit)" ]; then
  dotnet build "$root/src/TutorClaw.Mcp/TutorClaw.Mcp.csproj" -c Release -nologo -v quiet 1>&2
fi
exec dotnet "$dll" --stdio "$@"
