#!/usr/bin/env bash
# Allocation storm against the local stack: starts scripts/run-local.sh on spare ports with a pool
# big enough, fires LEARNERS allocations (10% duplicate retries) at CONCURRENCY, prints throughput,
# latency percentiles, DynamoDB calls per allocation, the raw conditional-update rate of the same
# dynalite and the ratio, then checks the table for double allocations. Stops what it started.
#
#   LEARNERS=1000 CONCURRENCY=64 DUPLICATES=0.10 ./scripts/bench-allocation.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LEARNERS=${LEARNERS:-1000}
export LEARNERS CONCURRENCY=${CONCURRENCY:-64} DUPLICATES=${DUPLICATES:-0.10}
RUN_DIR=.local/bench
mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR/env"

# Every module writes the same file; broker-service, built last, leaves its test classpath in it.
mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$RUN_DIR/service.classpath"

# Its own process group, so that stopping it stops everything it started. One client sends the
# whole storm: the per-client rate limit would measure itself, not the allocation path.
RATE_LIMIT_ENABLED=false RUN_DIR=$RUN_DIR SKIP_BUILD=1 BROKER_PORT=${BENCH_PORT:-18080} BROKER_ADMIN_PORT=${BENCH_ADMIN_PORT:-18081} \
  FAKE_GROUPS="bench:$((LEARNERS + 100))" setsid ./scripts/run-local.sh > "$RUN_DIR/stack.log" 2>&1 &
STACK=$!
trap 'kill -TERM -- -$STACK 2>/dev/null; wait $STACK 2>/dev/null' EXIT

for _ in $(seq 1 600); do
  if [ -f "$RUN_DIR/env" ] && curl -fsS -o /dev/null "http://127.0.0.1:${BENCH_PORT:-18080}/readyz" 2>/dev/null; then break; fi
  if ! kill -0 $STACK 2>/dev/null; then echo "the local stack failed:"; tail -40 "$RUN_DIR/stack.log"; exit 1; fi
  sleep 0.5
done
set -a; . "$RUN_DIR/env"; set +a

# The jobs process fills the pool in the background: wait until the storm has enough sandboxes.
for _ in $(seq 1 600); do
  available=$(curl -fsS "$BROKER_URL/v1/admin/stats" -H "Authorization: Bearer $BROKER_ADMIN_TOKEN" 2>/dev/null \
    | sed -n 's/.*"by_status":{"available":\([0-9]*\).*/\1/p')
  [ "${available:-0}" -ge "$LEARNERS" ] && break
  sleep 0.5
done
echo "pool: ${available:-0} available sandboxes"

java -cp "broker-service/target/test-classes:broker-service/target/classes:$(cat "$RUN_DIR/service.classpath")" \
  io.sandboxbroker.broker.bench.AllocationStorm
