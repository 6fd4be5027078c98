package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs Dropwizard's {@code check} command on every file in {@code config/}, as a separate JVM on the
 * test classpath, the way an operator would before a deploy. {@code check} parses with strict
 * environment substitution, rejects unknown keys and runs bean validation.
 */
class ConfigCheckIT {
    /** Dummy values for the secrets that have no default; nothing here is a real token. */
    private static final Map<String, String> SECRETS = Map.of(
            "BROKER_API_TOKEN", "ci-dummy-lab-token-0123456789",
            "BROKER_ADMIN_TOKEN", "ci-dummy-admin-token-0123456789",
            "CSP_API_TOKEN", "ci-dummy-csp-token-0123456789");

    record Result(int exitCode, String output) {}

    static Stream<Path> configFiles() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("config"))) {
            List<Path> yml = files.filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
            assertThat(yml).extracting(f -> f.getFileName().toString()).contains("local.yml", "production.yml");
            return yml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configFiles")
    void check_everyConfigFile_isValid(Path file) throws Exception {
        Result result = check(file, SECRETS);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Configuration is OK");
    }

    @Test
    void check_production_withoutTheTokens_fails() throws Exception {
        Result result = check(Repo.path("config/production.yml"), Map.of());
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("BROKER_API_TOKEN").doesNotContain("Configuration is OK");
    }

    @Test
    void check_claimRetentionShorterThanTheLongestLabPlusGrace_fails() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(SECRETS);
        env.put("LAB_DURATION_HOURS", "72");
        env.put("CLAIM_RETENTION_DAYS", "3");

        Result result = check(Repo.path("config/production.yml"), env);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output())
                .contains("allocation.claimRetention")
                .contains("longest lab duration")
                .doesNotContain("Configuration is OK");
    }

    @Test
    void check_rejectsAKeyTheCodeDoesNotKnow(@TempDir Path dir) throws Exception {
        // Guards this test's own premise: a key without a record would fail start-up, so none may be added.
        Path file = dir.resolve("unknown-key.yml");
        Files.writeString(
                file,
                Files.readString(Repo.path("config/production.yml"))
                        + "\nrateLimiting:\n  perSecond: ${RATE_LIMIT_PER_SECOND:-10}\n");
        Result result = check(file, SECRETS);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("Unrecognized field").contains("rateLimiting");
    }

    @Test
    void server_inProductionWithADefaultToken_refusesToStartWithoutPrintingIt() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(SECRETS);
        env.put("BROKER_API_TOKEN", "changeme");
        env.put("DDB_ENDPOINT", "http://127.0.0.1:1");
        env.put("BROKER_PORT", "0");
        env.put("BROKER_ADMIN_PORT", "0");

        Result result = run("server", Repo.path("config/production.yml"), env);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("lab token 'primary' is a default").doesNotContain("changeme");
    }

    private static Result check(Path file, Map<String, String> env) throws Exception {
        return run("check", file, env);
    }

    private static Result run(String command, Path file, Map<String, String> env) throws Exception {
        BrokerProcess process = BrokerProcess.start(command, file, env);
        int exit = process.awaitExit(Duration.ofSeconds(90));
        return new Result(exit, process.output());
    }
}
