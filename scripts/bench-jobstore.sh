#!/usr/bin/env bash
# Benchmark, not a test: a 2-node Quartz cluster runs 1,000 short jobs on the DynamoDB JobStore (dynalite)
# and on Quartz's clustered JDBC JobStoreTX (a throwaway PostgreSQL on a loopback port), side by side.
# Prints firings/s for both, their ratio, and DynamoDB calls per firing.
# Usage: scripts/bench-jobstore.sh   (installs Debian's postgresql with apt-get if initdb is missing)
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "${PGBIN}" || ! -x "${PGBIN}/initdb" ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
[[ -d node_modules/dynalite ]] || npm ci --no-audit --no-fund --loglevel=error

PGDATA=$(mktemp -d /tmp/bench-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "${PGDATA}"; AS_PG=(runuser -u postgres --); fi
cleanup() { "${AS_PG[@]}" "${PGBIN}/pg_ctl" -D "${PGDATA}" -m immediate stop >/dev/null 2>&1 || true; rm -rf "${PGDATA}"; }
trap cleanup EXIT

"${AS_PG[@]}" "${PGBIN}/initdb" -D "${PGDATA}" -U postgres --auth=trust >/dev/null
"${AS_PG[@]}" "${PGBIN}/pg_ctl" -D "${PGDATA}" -l "${PGDATA}/log" -w \
  -o "-p ${PGPORT} -k ${PGDATA} -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
psql -q -h 127.0.0.1 -p "${PGPORT}" -U postgres -c 'CREATE DATABASE quartz'
QUARTZ_JAR=$(ls ~/.m2/repository/org/quartz-scheduler/quartz/2.5.2/quartz-2.5.2.jar)
unzip -p "${QUARTZ_JAR}" org/quartz/impl/jdbcjobstore/tables_postgres.sql \
  | psql -q -h 127.0.0.1 -p "${PGPORT}" -U postgres -d quartz >/dev/null

CP_FILE="${PGDATA}/classpath"
mvn -B -ntp -q -Pbench -pl broker-jobs -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="${CP_FILE}"
java -Dbroker.root="$(pwd)" -cp "broker-jobs/target/test-classes:broker-jobs/target/classes:$(cat "${CP_FILE}")" \
  io.sandboxbroker.jobs.bench.JobStoreBench "jdbc:postgresql://127.0.0.1:${PGPORT}/quartz"
