#!/usr/bin/env bash
# Runs every test of Sandbox Broker on a fresh machine: installs the npm tools (dynalite) from the
# lock file, then builds all modules and runs unit and integration tests against real dynalite
# processes that the tests start themselves on free loopback ports. The admin page test drives the
# distribution's headless Chromium, and the lab-script tests run python3: both installed here when
# missing and running as root (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium chromium-driver)
  command -v python3 >/dev/null || missing+=(python3)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update && apt-get install -y "${missing[@]}"
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
mvn -B -ntp verify "$@"
