#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright. Install it if it is missing and we
# may (root with apt-get); otherwise the browser tests skip locally and FAIL in CI (CI=true).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installiere Chromium für die Browser-Tests (apt-get) …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Hinweis: Chromium fehlt (/usr/bin/chromium). Browser-Tests werden übersprungen (in CI: Fehler)." >&2
