#!/usr/bin/env bash
# The README's test command: build everything with warnings as errors, run every test project,
# and end with one line of totals over all of them ("N passed, N failed, N skipped").
# The browser tests need Debian's Chromium; scripts/ensure-chromium.sh installs it when missing.
set -uo pipefail
cd "$(dirname "$0")/.."

# The PostgreSQL tests start a real server from Debian's postgresql package (no Docker); install it
# when its binaries are missing (CI starts on a fresh machine, as root, with no stdin).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql </dev/null \
    || { echo "Could not install postgresql (needed by the PostgreSQL store tests)." >&2; echo "0 passed, 1 failed"; exit 1; }
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

./scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
dotnet build TutorClawMcp.sln -c Release -warnaserror -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

status=0
dotnet test TutorClawMcp.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
