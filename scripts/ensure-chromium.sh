#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own
# browser downloads are not used. Install the package when it is missing (CI runs as root on a
# fresh machine). DejaVu fonts give the screenshots real glyphs.
set -euo pipefail

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi dejavu; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium (or its fonts) is missing; as root run: apt-get install chromium fonts-dejavu-core" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt or dpkg run (up to 10 minutes) instead of failing on its lock.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"; }
echo "ensure-chromium: installing chromium from the Debian packages" >&2
apt_get update -qq
apt_get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
