#!/usr/bin/env bash
# Cost of the edge filters (rate limits, CORS, JSON access log, HTTP metrics): runs the broker twice
# in one JVM on one dynalite, edge.enabled=true and false, and prints p50/p99/mean latency of
# GET /healthz and GET /v1/sandboxes/{id} (sequential keep-alive requests, alternating rounds) and
# the overhead. A benchmark, not a test: figures vary with the machine; nothing is asserted.
#
#   WARMUP=3000 ROUNDS=6 PER_ROUND=2000 ./scripts/bench-edge.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_DIR=.local/bench
mkdir -p "$RUN_DIR"
if [ ! -f node_modules/dynalite/cli.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# One reactor build, so the sibling modules resolve to their target/classes (nothing is installed).
# Every module writes the file; broker-service, built last, leaves its own classpath there.
mvn -B -q -ntp -pl broker-service -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$RUN_DIR/service.classpath"

BENCH_LOG="$PWD/$RUN_DIR/bench-edge-access.log" \
java -Dbroker.root="$PWD" \
  -cp "broker-service/target/test-classes:broker-service/target/classes:$(cat "$RUN_DIR/service.classpath")" \
  io.sandboxbroker.broker.bench.EdgeBench
echo "access log of the run: $RUN_DIR/bench-edge-access.log ($(wc -l < "$RUN_DIR/bench-edge-access.log") lines)"
