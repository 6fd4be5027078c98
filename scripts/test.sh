#!/usr/bin/env bash
# Runs every test of Sandbox Broker on a fresh machine: installs the npm tools (dynalite) from the
# lock file, then builds all modules and runs unit and integration tests against real dynalite
# processes that the tests start themselves on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --loglevel=error
mvn -B -ntp verify "$@"
