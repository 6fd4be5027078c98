#!/usr/bin/env bash
# Allocation storm against the local stack: starts scripts/run-local.sh on spare ports with a pool
# big enough, optionally a second API process on the same dynalite, warms both sides up, then
# measures in one run (same machine load):
#   - the storage floor: the DynamoDB calls of an uncontended allocation (claim put + conditional
#     sandbox update on a pool item of its own + the candidate query once per batch) sent straight
#     through the SDK at the same concurrency;
#   - the storm: LEARNERS allocations (DUPLICATES share of them retried) at CONCURRENCY over HTTP,
#     spread over the API processes;
# and prints throughput, latency percentiles, DynamoDB calls per new allocation and per replay,
# lost races per 100 allocations, efficiency against the floor, the CPU each process (API, jobs,
# dynalite, fake provider, the benchmark's own client) spent per request of storm and floor, then
# checks the table for double allocations. Stops what it started.
#
# Floor and storm take turns in ROUNDS rounds (4), so both see the same load on a shared machine,
# after ROUNDS-1 untimed practice rounds that take turns the same way; each phase starts once the
# JIT compilers of the API, of the floor's JVM and of the benchmark's own JVM are idle (see
# AllocationStorm). It prints the efficiency of every round and their median too: a compile or a
# garbage collection that lands in one phase of one round moves the pooled figure.
#
#   LEARNERS=1000 CONCURRENCY=64 DUPLICATES=0.10 API_PROCESSES=1 ROUNDS=4 ./scripts/bench-allocation.sh
#   WARMUP=12000    at most this many learners (per API process) warm the API up, untimed, in
#                   chunks of 1,000 that each ask 4 times, until its JIT compiler threads take
#                   < 0.05 ms CPU per request in two chunks in a row (see AllocationStorm)
#   FLOOR_WARMUP=40000 at most this many operations warm the floor's JVM up, the same way
#   SPARE=1000      sandboxes left in the storm's group when it ends (default LEARNERS, see below)
#   EXTRA_API_JAVA_OPTS=...  JVM options for the API process (e.g. -XX:+PrintCompilation)
#   BENCH_JAVA_OPTS=...      JVM options for the benchmark's own process (the storm's client)
#   FLOOR_JAVA_OPTS=...      JVM options for the floor's process (FloorWorker, started by the benchmark)
#   PROFILE=1 ...   also records the (first) API process with JFR and prints where its request
#                   threads spent CPU (self and inclusive, by package and by our methods) and
#                   waited (thread parks, socket reads, monitor entries), see JfrSummary
set -euo pipefail
cd "$(dirname "$0")/.."

LEARNERS=${LEARNERS:-1000}
# A freshly started API JVM needs thousands of requests before the JIT has compiled the request
# path (Jersey, Jetty, the SDK): with 200, the compiler's own CPU and the interpreted code were
# most of what the run measured (183/s against 277/s warm, same box, same commit), and after
# 2,000 or 6,000 its compiler threads still took half the API's CPU. The storm warms up until
# compilation has settled (at most WARMUP requests, from a name group of their own).
API_PROCESSES=${API_PROCESSES:-1}
# Two JVMs compiling on two cores settle later than one.
WARMUP=${WARMUP:-$((12000 * API_PROCESSES))}
# The floor's JVM (FloorWorker, started by the benchmark) sends the floor through the SDK: its JIT
# needs a warm-up too, or the floor measures the compiler and flatters the broker (its compiler took
# 1.9 and then 1.2 ms of CPU per operation over the first two thousand). At most 10,000 left it
# compiling at 0.5-1.0 ms per operation in the measured rounds; in a run allowed 40,000 it settled
# after 15,000, as the API does after about as many requests.
FLOOR_WARMUP=${FLOOR_WARMUP:-40000}
export LEARNERS WARMUP FLOOR_WARMUP CONCURRENCY=${CONCURRENCY:-64} DUPLICATES=${DUPLICATES:-0.10}
RUN_DIR=.local/bench
mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR/env" "$RUN_DIR/api.jfr" "$RUN_DIR/jobs.log"

# Every module writes the same file; broker-service, built last, leaves its test classpath in it.
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$RUN_DIR/service.classpath"
fi

API_JAVA_OPTS="${EXTRA_API_JAVA_OPTS:-}"
if [ "${PROFILE:-0}" = 1 ]; then
  # Waits of a few milliseconds are what an allocation is made of: record them all, not only those
  # over the profile settings' 10-20 ms thresholds.
  API_JAVA_OPTS="-XX:StartFlightRecording=filename=$PWD/$RUN_DIR/api.jfr,settings=profile,dumponexit=true"
  API_JAVA_OPTS+=",jdk.ThreadPark#threshold=0ms,jdk.SocketRead#threshold=0ms,jdk.SocketWrite#threshold=0ms"
  API_JAVA_OPTS+=",jdk.JavaMonitorEnter#threshold=0ms,jdk.JavaMonitorWait#threshold=0ms,jdk.Compilation#threshold=0ms"
fi

# Name groups: the storm and its practice rounds allocate from bench-* (the API's warm-up from
# warm-*), the floor claims floor-* (so it never takes what a broker holds in its candidate buffer).
# SPARE sandboxes more than the storm takes stay in bench-* (default: as many as it takes, so the
# pool ends half full): a group the storm drains to its last few sandboxes measures a nearly empty
# pool, where every process reads the same few candidates from each shard; SPARE=0 measures just that.
SPARE=${SPARE:-$LEARNERS}
# Both warm-ups end with practice rounds of the storm's and the floor's size.
BENCH_GROUP=$((2 * LEARNERS + SPARE + 50))
WARM_GROUP=$((WARMUP + 50))
FLOOR_GROUP=$((2 * LEARNERS + FLOOR_WARMUP + 50))
POOL=$((BENCH_GROUP + WARM_GROUP + FLOOR_GROUP))
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_ADMIN_PORT=${BENCH_ADMIN_PORT:-18081}

# The jobs process's whole-table jobs (pool stats every 30 s, reconcile every 60 s) scan every
# sandbox item: tens of thousands here, seconds of dynalite's CPU, landing in a storm round or a
# floor round by chance (a floor at 329/s against 550-640/s in other runs). They cost the same at
# any allocation rate, so the benchmark runs them hourly; sync still seeds the pool at start.
# The stored counts then age past their maximum (2 minutes), and an API process counts the pool
# itself when its metrics are read (the benchmark reads them between rounds): 29,000 items read,
# in a measured round of one run. Their maximum age is raised to match.
export POOL_STATS_EVERY_SECONDS=${POOL_STATS_EVERY_SECONDS:-3600} RECONCILE_EVERY_SECONDS=${RECONCILE_EVERY_SECONDS:-3600}
export POOL_STATS_MAX_AGE_SECONDS=${POOL_STATS_MAX_AGE_SECONDS:-7200}

# Its own process group (job control), so that stopping it stops everything it started, but not a
# session of its own: Linux schedules each session as one group (autogroup), and a floor sent from
# this session while dynalite ran in the stack's got a core's share that the API's threads, in
# dynalite's session, never had (the floor ran at 93-99% of its CPU bound, the storm at 71-79%;
# with autogroup off, 82% and 80%). One session puts every thread on equal terms. One client sends the
# whole storm: the per-client rate limit would measure itself, not the allocation path.
set -m
RATE_LIMIT_ENABLED=false RUN_DIR=$RUN_DIR SKIP_BUILD=1 LOGS_TO_FILES=1 BROKER_PORT=$BENCH_PORT BROKER_ADMIN_PORT=$BENCH_ADMIN_PORT \
  API_JAVA_OPTS="$API_JAVA_OPTS" FAKE_GROUPS="bench:$BENCH_GROUP,warm:$WARM_GROUP,floor:$FLOOR_GROUP" ./scripts/run-local.sh > "$RUN_DIR/stack.log" 2>&1 &
STACK=$!
set +m
SECOND=""
stop() {
  if [ -n "$SECOND" ]; then kill -TERM "$SECOND" 2>/dev/null || true; wait "$SECOND" 2>/dev/null || true; fi
  kill -TERM -- -$STACK 2>/dev/null || true
  wait $STACK 2>/dev/null || true
}
trap stop EXIT

for _ in $(seq 1 600); do
  if [ -f "$RUN_DIR/env" ] && curl -fsS -o /dev/null "http://127.0.0.1:$BENCH_PORT/readyz" 2>/dev/null; then break; fi
  if ! kill -0 $STACK 2>/dev/null; then echo "the local stack failed:"; tail -40 "$RUN_DIR/stack.log"; exit 1; fi
  sleep 0.5
done
set -a; . "$RUN_DIR/env"; set +a
BROKER_URLS=$BROKER_URL
BROKER_ADMIN_URLS=$BROKER_ADMIN_URL

if [ "$API_PROCESSES" = 2 ]; then
  # A second API process on the same dynalite, as production runs several tasks behind one table.
  RATE_LIMIT_ENABLED=false BROKER_PORT=$((BENCH_PORT + 2)) BROKER_ADMIN_PORT=$((BENCH_ADMIN_PORT + 2)) \
    java -jar broker-service/target/sandbox-broker.jar server config/local.yml > "$RUN_DIR/api2.log" 2>&1 &
  SECOND=$!
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$((BENCH_PORT + 2))/readyz" 2>/dev/null; then break; fi
    if ! kill -0 "$SECOND" 2>/dev/null; then echo "the second API process failed:"; tail -40 "$RUN_DIR/api2.log"; exit 1; fi
    sleep 0.5
  done
  BROKER_URLS="$BROKER_URLS,http://127.0.0.1:$((BENCH_PORT + 2))"
  BROKER_ADMIN_URLS="$BROKER_ADMIN_URLS,http://127.0.0.1:$((BENCH_ADMIN_PORT + 2))"
elif [ "$API_PROCESSES" != 1 ]; then
  echo "API_PROCESSES is 1 or 2"; exit 1
fi
export BROKER_URLS BROKER_ADMIN_URLS

# The jobs process fills the pool in the background, in its first sync: wait until that ends. (Not
# through the pool's counts: they are kept fresh by the job that now runs hourly.)
for _ in $(seq 1 1200); do
  synced=$(sed -n 's/.*action=sync outcome=completed .* added=\([0-9]*\).*/\1/p' "$RUN_DIR/jobs.log" 2>/dev/null | head -1 || true)
  [ -n "$synced" ] && break
  sleep 0.5
done
echo "pool: ${synced:-0} sandboxes added by the first sync (the run asked for $POOL)"
# The processes whose CPU the run reports per request (the storm's own JVM is "client", the floor's
# JVM "floor": the benchmark adds it).
named_pids() { # name, pattern: the matching processes this run started
  ps -eo pid=,pgid=,args= | awk -v g="$STACK" -v s="${SECOND:-0}" -v n="$1" -v p="$2" \
    '($2 == g || $1 == s) && index($0, p) { printf "%s=%s,", n, $1 }'
}
CPU_PIDS="$(named_pids api 'sandbox-broker.jar server')$(named_pids jobs 'sandbox-broker.jar jobs')$(named_pids dynalite 'dynalite/cli.js')$(named_pids provider FakeProviderMain)"
CLK_TCK=$(getconf CLK_TCK)
export CPU_PIDS CLK_TCK

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
java ${BENCH_JAVA_OPTS:-} -cp "broker-service/target/test-classes:broker-service/target/classes:$(cat "$RUN_DIR/service.classpath")" \
  io.sandboxbroker.broker.bench.AllocationStorm

if [ "${PROFILE:-0}" = 1 ]; then
  stop
  trap - EXIT
  for _ in $(seq 1 60); do [ -s "$RUN_DIR/api.jfr" ] && break; sleep 0.5; done
  echo
  echo "== JFR of the API process ($RUN_DIR/api.jfr), request threads =="
  java -cp broker-service/target/test-classes io.sandboxbroker.broker.bench.JfrSummary "$RUN_DIR/api.jfr" dw-
fi
