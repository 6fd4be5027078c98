# syntax=docker/dockerfile:1
# Sandbox Broker: one image, two roles.
#   API  (default): server /app/config/production.yml   — ports 8080 (app) and 8081 (admin)
#   jobs (ECS jobs service overrides the command): jobs /app/config/production.yml — admin port 8081 only
# Build from the repository root:  docker build -t sandbox-broker:$(git rev-parse --short HEAD) .
# DockerfileTest checks the paths, artifact names and commands below against the Maven build.

# ---- build: Maven only (no npm: tests are skipped, dynalite is a test tool) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Whole module folders (target/ is docker-ignored): a module without src/ yet still builds.
# Dependencies are cached across builds in the BuildKit cache mount, not in a layer.
COPY pom.xml ./
COPY broker-testkit broker-testkit
COPY broker-jobs broker-jobs
COPY broker-service broker-service
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl broker-service -am package

# ---- runtime: JRE only, non-root ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 broker \
    && useradd --system --uid 10001 --gid broker --home-dir /app --shell /usr/sbin/nologin broker
WORKDIR /app
COPY --from=build /src/broker-service/target/sandbox-broker.jar /app/sandbox-broker.jar
COPY config/production.yml /app/config/production.yml
USER 10001:10001

EXPOSE 8080 8081

# Container-aware heap (the JVM reads the cgroup limit); die on OOM so ECS replaces the task.
# Extra flags: set JAVA_TOOL_OPTIONS in the task definition.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/sandbox-broker.jar"]
CMD ["server", "/app/config/production.yml"]

# Liveness of the default (API) role. The image has neither curl nor wget for sure, so this speaks
# HTTP through bash's /dev/tcp. The jobs role has no application port: its ECS task definition
# overrides this with the admin port's /healthcheck on 8081.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${BROKER_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
