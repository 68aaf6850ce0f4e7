#!/usr/bin/env bash
# One command on a fresh machine: install what the tests need, then run them. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages: Chromium for the browser tests, a CJK font so screenshots and PDFs show Chinese
missing=()
for pkg in chromium fonts-wqy-microhei; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
