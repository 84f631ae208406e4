#!/usr/bin/env bash
# Debian's Chromium for the end-to-end browser tests (Playwright drives it; it cannot download its own).
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: /usr/bin/chromium is missing and cannot be installed here; browser tests will be skipped" >&2
  exit 0
fi
echo "Installing Debian's chromium for browser tests (first run only)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 \
  || echo "note: chromium could not be installed; browser tests will be skipped" >&2
exit 0
