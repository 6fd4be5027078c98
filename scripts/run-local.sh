#!/usr/bin/env bash
# Runs the whole broker on this machine: dynalite (DynamoDB) and the fake provider on free loopback
# ports, the API on http://localhost:8080 (admin port 8081), a jobs process (admin port only) whose
# sync job fills the pool from the fake provider. Ctrl-C stops everything it started.
#
# Environment (all optional):
#   BROKER_PORT / BROKER_ADMIN_PORT   API ports (8080 / 8081)
#   FAKE_GROUPS                       sandboxes the fake provider holds (lab-adventure:30,lab-start:25)
#   SKIP_BUILD=1                      reuse the jars already built
#   RUN_DIR                           where logs and the run's settings go (.local/run)
#   API_JAVA_OPTS                     extra JVM options for the API process (e.g. a JFR recording)
#   LOGS_TO_FILES=1                   the API and jobs processes write their logs straight to
#                                     RUN_DIR/api.log and jobs.log, not also to this terminal
set -euo pipefail
cd "$(dirname "$0")/.."

BROKER_PORT=${BROKER_PORT:-8080}
BROKER_ADMIN_PORT=${BROKER_ADMIN_PORT:-8081}
FAKE_GROUPS=${FAKE_GROUPS:-lab-adventure:30,lab-start:25}
RUN_DIR=${RUN_DIR:-.local/run}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd) # absolute from here on: commands below run from other directories
LAB_TOKEN=local-lab-token
ADMIN_TOKEN=local-admin-token

say() { printf '\033[1m[run-local]\033[0m %s\n' "$*"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for() { # url, what, log
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  say "$2 did not come up; its log ($3):"; tail -n 40 "$3" >&2; exit 1
}

wait_for_port() { # port, what, log
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  say "$2 did not listen on $1; its log ($3):"; tail -n 40 "$3" >&2; exit 1
}

# Everything started below is in this script's process group: one signal stops it all.
trap 'trap - EXIT INT TERM; say "stopping"; kill 0 2>/dev/null; wait 2>/dev/null; exit 0' EXIT INT TERM

for port in "$BROKER_PORT" "$BROKER_ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port is in use (another run-local?); set BROKER_PORT / BROKER_ADMIN_PORT"; exit 1
  fi
done

if [ ! -f node_modules/dynalite/cli.js ]; then
  say "installing npm tools (dynalite)"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f broker-service/target/sandbox-broker.jar ]; then
  say "building (mvn package, tests skipped)"
  mvn -B -q -ntp -DskipTests package
fi
if [ ! -s "$RUN_DIR/testkit.classpath" ] || [ broker-testkit/pom.xml -nt "$RUN_DIR/testkit.classpath" ]; then
  mvn -B -q -ntp -pl broker-testkit dependency:build-classpath -Dmdep.outputFile="$RUN_DIR/testkit.classpath"
fi

DDB_PORT=$(free_port)
node node_modules/dynalite/cli.js --host 127.0.0.1 --port "$DDB_PORT" --createTableMs 0 \
  > "$RUN_DIR/dynalite.log" 2>&1 &
wait_for_port "$DDB_PORT" dynalite "$RUN_DIR/dynalite.log"
say "dynalite on http://127.0.0.1:$DDB_PORT"

FAKE_PORT=$(free_port)
java -cp "broker-testkit/target/classes:$(cat "$RUN_DIR/testkit.classpath")" \
  io.sandboxbroker.testkit.provider.FakeProviderMain --port "$FAKE_PORT" --token local-csp-token \
  --groups "$FAKE_GROUPS" > "$RUN_DIR/fake-provider.log" 2>&1 &
wait_for_port "$FAKE_PORT" "the fake provider" "$RUN_DIR/fake-provider.log"
say "fake provider on http://127.0.0.1:$FAKE_PORT ($FAKE_GROUPS)"

export DDB_ENDPOINT="http://127.0.0.1:$DDB_PORT"
export CSP_BASE_URL="http://127.0.0.1:$FAKE_PORT/v2"
export NIOSXAAS_BASE_URL="http://127.0.0.1:$FAKE_PORT"
export BROKER_PORT BROKER_ADMIN_PORT
cat > "$RUN_DIR/env" <<ENV
DDB_ENDPOINT=$DDB_ENDPOINT
DDB_TABLE_NAME=${DDB_TABLE_NAME:-sandbox-broker-pool}
CSP_BASE_URL=$CSP_BASE_URL
BROKER_URL=http://127.0.0.1:$BROKER_PORT
BROKER_ADMIN_URL=http://127.0.0.1:$BROKER_ADMIN_PORT
BROKER_API_TOKEN=$LAB_TOKEN
BROKER_ADMIN_TOKEN=$ADMIN_TOKEN
ENV

# Each process's log to its file and, prefixed with its name, to this terminal. With LOGS_TO_FILES=1
# (the allocation benchmark) only to the file: the prefixing pipeline wakes two more processes for
# every log line, on the cores the processes it measures share.
logged() { # name, command...
  local name=$1
  shift
  if [ "${LOGS_TO_FILES:-0}" = 1 ]; then
    "$@" > "$RUN_DIR/$name.log" 2>&1
  else
    "$@" 2>&1 | sed -u "s/^/[$name] /" | tee "$RUN_DIR/$name.log"
  fi
}

# shellcheck disable=SC2086 # API_JAVA_OPTS is a list of options
logged api java ${API_JAVA_OPTS:-} -jar broker-service/target/sandbox-broker.jar server config/local.yml &
wait_for "http://127.0.0.1:$BROKER_PORT/readyz" "the API" "$RUN_DIR/api.log"

JOBS_ADMIN_PORT=$(free_port)
BROKER_ADMIN_PORT=$JOBS_ADMIN_PORT logged jobs java -jar broker-service/target/sandbox-broker.jar jobs config/local.yml &
wait_for "http://127.0.0.1:$JOBS_ADMIN_PORT/healthcheck" "the jobs process" "$RUN_DIR/jobs.log"
for _ in $(seq 1 150); do
  available=$(curl -fsS "http://127.0.0.1:$BROKER_PORT/v1/admin/sandboxes?status=available&limit=1" \
    -H "Authorization: Bearer $ADMIN_TOKEN" 2>/dev/null | grep -c '"sandbox_id"' || true)
  [ "$available" -gt 0 ] && break
  sleep 0.2
done

cat <<BANNER

  Sandbox Broker is running locally.
    API           http://localhost:$BROKER_PORT   (admin port http://localhost:$BROKER_ADMIN_PORT)
    jobs process  admin port http://localhost:$JOBS_ADMIN_PORT (health, metrics)
    lab token     $LAB_TOKEN
    admin token   $ADMIN_TOKEN
    logs          $RUN_DIR/

  Try:
    curl -s -X POST http://localhost:$BROKER_PORT/v1/allocate \\
      -H 'Authorization: Bearer $LAB_TOKEN' -H 'X-Instruqt-Sandbox-ID: learner-1'
    curl -s http://localhost:$BROKER_PORT/v1/admin/stats -H 'Authorization: Bearer $ADMIN_TOKEN'

  Ctrl-C stops everything.

BANNER
wait
