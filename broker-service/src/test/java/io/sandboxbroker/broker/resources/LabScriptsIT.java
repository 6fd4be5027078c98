package io.sandboxbroker.broker.resources;

import static io.sandboxbroker.broker.support.LabScript.Result.file;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.LabScript;
import io.sandboxbroker.broker.support.LabScript.Result;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped lab scripts ({@code lab-scripts/}) and a client that does what the setup and
 * clean-up scripts in use today do, run as subprocesses ({@code python3}) against the real
 * application and dynalite. The scripts' waits are shortened through their environment; the
 * broker tells an empty pool's callers to come back in a second, and a learner's bucket refills
 * a token a second, so waiting is short too.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LabScriptsIT {
    private static final String TABLE = TestDynamo.uniqueTable("scripts");
    private static final int LEARNER_BURST = 5;
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            TABLE,
            ConfigOverride.config("allocation.poolEmptyRetryAfter", "1 second"),
            ConfigOverride.config("edge.rateLimit.perLearner.burst", Integer.toString(LEARNER_BURST)),
            ConfigOverride.config("edge.rateLimit.perLearner.perMinute", "60"));
    private static final Pool POOL = Pool.of(TABLE);

    @TempDir
    Path dir;

    private static String apiUrl() {
        return "http://127.0.0.1:" + APP.getLocalPort() + "/v1";
    }

    private static String learner() {
        return "learner-" + UUID.randomUUID();
    }

    /** What a track sets, plus short waits; the files go to {@code dir}. */
    private Map<String, String> env(String learner, String prefix) {
        Map<String, String> env = new HashMap<>(Map.of(
                "BROKER_API_URL",
                apiUrl(),
                "BROKER_API_TOKEN",
                BrokerTestApp.LAB_TOKEN,
                "INSTRUQT_PARTICIPANT_ID",
                learner,
                "INSTRUQT_TRACK_SLUG",
                "dns-basics",
                "SANDBOX_NAME_PREFIX",
                prefix,
                "SANDBOX_STATE_DIR",
                dir.toString(),
                "BROKER_DEADLINE_SECONDS",
                "60",
                "BROKER_BACKOFF_SECONDS",
                "0.2",
                "BROKER_MAX_WAIT_SECONDS",
                "2",
                "BROKER_START_JITTER_SECONDS",
                "0"));
        return env;
    }

    private Result allocate(Map<String, String> env) {
        return LabScript.run(LabScript.shipped("allocate-sandbox.py"), dir, env);
    }

    private Result release(Map<String, String> env) {
        return LabScript.run(LabScript.shipped("release-sandbox.py"), dir, env);
    }

    private Result extend(Map<String, String> env) {
        return LabScript.run(LabScript.shipped("extend-sandbox.py"), dir, env);
    }

    /**
     * The learner's sandbox expiry as an operator sees it: through the admin token, so that checking
     * does not spend the learner's small rate-limit burst (the scripts' own calls do).
     */
    private static long expiresAt(String learner) {
        return LabClient.at(APP.getLocalPort())
                .admin()
                .get("/v1/admin/learners/" + learner)
                .body()
                .path("sandbox")
                .path("expires_at")
                .asLong();
    }

    private static Reply read(String learner, String sandboxId) {
        return LabClient.at(APP.getLocalPort()).lab(learner).get("/v1/sandboxes/" + sandboxId);
    }

    private void assertStateFilesDescribe(Reply sandbox) {
        String uuid = sandbox.text("external_id").substring("identity/accounts/".length());
        assertThat(file(dir, "subtenant_id.txt")).isEqualTo(sandbox.text("sandbox_id"));
        assertThat(file(dir, "external_id.txt")).isEqualTo(uuid);
        assertThat(file(dir, "sandbox_id.txt")).isEqualTo(uuid);
        assertThat(file(dir, "sandbox_name.txt")).isEqualTo(sandbox.text("name"));
        assertThat(file(dir, "sfdc_account_id.txt"))
                .isEqualTo(sandbox.body().path("sfdc_account_id").asText(""));
    }

    @Test
    void extend_movesTheExpiryByTheAskedTime_writesIt_andARefusalExitsOne() {
        POOL.seed("scripts-extend", 1);
        String learner = learner();
        Map<String, String> env = env(learner, "scripts-extend");
        assertThat(allocate(env).exitCode()).isZero();
        long before = expiresAt(learner);
        env.put("BROKER_EXTEND_SECONDS", "3600");

        Result extended = extend(env);

        assertThat(extended.exitCode()).as(extended.output()).isZero();
        long after = expiresAt(learner);
        assertThat(after).isEqualTo(before + 3600);
        assertThat(file(dir, "expires_at.txt")).isEqualTo(Long.toString(after));
        assertThat(extended.output()).contains("extended").doesNotContain(BrokerTestApp.LAB_TOKEN);

        env.put("BROKER_EXTEND_SECONDS", Long.toString(7 * 24 * 3600));
        Result tooFar = extend(env);
        assertThat(tooFar.exitCode()).as(tooFar.output()).isEqualTo(1);
        assertThat(tooFar.output()).contains("LEASE_LIMIT_REACHED");
        assertThat(expiresAt(learner)).isEqualTo(after);
    }

    @Test
    void allocate_writesEveryFile_andARerunGetsTheSameSandboxAndFiles() {
        POOL.seed("scripts-alloc", 2);
        String learner = learner();

        Result first = allocate(env(learner, "scripts-alloc"));
        String subtenant = file(dir, "subtenant_id.txt");
        Reply held = read(learner, subtenant);
        Result again = allocate(env(learner, "scripts-alloc"));

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output())
                .contains("allocated a new sandbox")
                .contains("expires " + utc(held))
                .doesNotContain(BrokerTestApp.LAB_TOKEN);
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.text("track_name")).isEqualTo("dns-basics");
        assertStateFilesDescribe(held);
        assertThat(file(dir, "sandbox_env.sh"))
                .contains("export BROKER_SANDBOX_ID=" + subtenant)
                .contains("export STUDENT_TENANT=" + held.text("name"));
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already holds a sandbox");
        assertThat(file(dir, "subtenant_id.txt")).isEqualTo(subtenant);
        assertStateFilesDescribe(held);
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .as("no temporary files left")
                    .containsExactlyInAnyOrder(
                            "subtenant_id.txt",
                            "external_id.txt",
                            "sandbox_id.txt",
                            "sandbox_name.txt",
                            "sfdc_account_id.txt",
                            "sandbox_env.sh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void allocate_sandboxWithoutSalesforceId_writesAnEmptyFile() {
        POOL.seed("scripts-nosfdc", 1, false);
        String learner = learner();

        Result result = allocate(env(learner, "scripts-nosfdc"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(read(learner, file(dir, "subtenant_id.txt"))
                        .body()
                        .path("sfdc_account_id")
                        .isNull())
                .isTrue();
        assertThat(file(dir, "sfdc_account_id.txt")).isEmpty();
    }

    @Test
    void release_twiceSucceeds_andAnUnknownIdCountsAsReleased() {
        POOL.seed("scripts-release", 1);
        String learner = learner();
        assertThat(allocate(env(learner, "scripts-release")).exitCode()).isZero();
        String sandboxId = file(dir, "subtenant_id.txt");

        Result first = release(env(learner, ""));
        Result repeat = release(env(learner, ""));

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("released (status pending_deletion)");
        assertThat(repeat.exitCode()).as(repeat.output()).isZero();
        assertThat(read(learner, sandboxId).text("status")).isEqualTo("pending_deletion");

        writeState("subtenant_id.txt", "987654321");
        Result unknown = release(env(learner, ""));
        assertThat(unknown.exitCode()).as(unknown.output()).isZero();
        assertThat(unknown.output()).contains("not known to the broker");
    }

    @Test
    void release_anotherLearnersSandbox_isRefused_andNothingAllocated_isNothingToDo() {
        POOL.seed("scripts-owner", 1);
        assertThat(allocate(env(learner(), "scripts-owner")).exitCode()).isZero();

        Result stranger = release(env(learner(), ""));
        assertThat(stranger.exitCode()).as(stranger.output()).isEqualTo(1);
        assertThat(stranger.output()).contains("HTTP 403 NOT_SANDBOX_OWNER");

        writeState("subtenant_id.txt", "");
        Result nothing = release(env(learner(), ""));
        assertThat(nothing.exitCode()).as(nothing.output()).isZero();
        assertThat(nothing.output()).contains("nothing to release");
    }

    @Test
    void emptyPool_theScriptWaits_andGetsTheSandboxThatArrives() {
        String learner = learner();
        try (LabScript running =
                LabScript.start(LabScript.shipped("allocate-sandbox.py"), dir, env(learner, "scripts-refill"))) {
            running.awaitOutput("HTTP 409 NO_SANDBOXES_AVAILABLE");
            POOL.seed("scripts-refill", 1);

            Result result = running.await();

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(read(learner, file(dir, "subtenant_id.txt")).text("name"))
                    .isEqualTo("scripts-refill-0001");
        }
    }

    @Test
    void emptyPool_pastTheDeadline_exit2AndNoFiles() {
        Map<String, String> env = env(learner(), "scripts-never");
        env.put("BROKER_DEADLINE_SECONDS", "2");

        Result result = allocate(env);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("NO_SANDBOXES_AVAILABLE").contains("giving up");
        assertThat(file(dir, "subtenant_id.txt")).isNull();
    }

    @Test
    void rateLimited_theScriptWaitsForRetryAfter_thenAllocates() {
        POOL.seed("scripts-limited", 1);
        String learner = learner();
        LabClient client = LabClient.at(APP.getLocalPort()).lab(learner);
        Reply refused = null;
        for (int i = 0; i <= LEARNER_BURST; i++) {
            refused = client.get("/v1/sandboxes/1");
        }
        assertThat(refused.status()).isEqualTo(429);

        Result result = allocate(env(learner, "scripts-limited"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("HTTP 429 RATE_LIMIT_EXCEEDED; retrying in");
        assertThat(file(dir, "sandbox_name.txt")).isEqualTo("scripts-limited-0001");
    }

    @Test
    void brokerUnreachable_then503_thenBlockedByTheWaf_thenBack_theScriptCarriesOn() throws Exception {
        POOL.seed("scripts-outage", 1);
        String learner = learner();
        int port = freePort();
        Map<String, String> env = env(learner, "scripts-outage");
        env.put("BROKER_API_URL", "http://127.0.0.1:" + port + "/v1");

        try (LabScript running = LabScript.start(LabScript.shipped("allocate-sandbox.py"), dir, env)) {
            running.awaitOutput("ConnectionRefusedError");
            try (LoadBalancer front = LoadBalancer.on(port, APP.getLocalPort())) {
                running.awaitOutput("HTTP 503 SERVICE_UNAVAILABLE");
                front.state.set(LoadBalancer.State.WAF_BLOCKS);
                running.awaitOutput("HTTP 403;");
                front.state.set(LoadBalancer.State.FORWARDS);

                Result result = running.await();

                assertThat(result.exitCode()).as(result.output()).isZero();
                assertThat(file(dir, "sandbox_name.txt")).isEqualTo("scripts-outage-0001");
            }
        }
    }

    @Test
    void token_absentIsAConfigurationError_wrongIsARefusal_neverPrinted() {
        Map<String, String> absent = env(learner(), "scripts-token");
        absent.remove("BROKER_API_TOKEN");
        Map<String, String> wrong = env(learner(), "scripts-token");
        wrong.put("BROKER_API_TOKEN", "wrong-token-4c1f");

        Result noToken = allocate(absent);
        Result badToken = allocate(wrong);
        writeState("subtenant_id.txt", "123");
        Result badRelease = release(wrong);
        Result noTokenRelease = release(absent);

        assertThat(noToken.exitCode()).as(noToken.output()).isEqualTo(3);
        assertThat(noToken.output()).contains("configuration error").contains("BROKER_API_TOKEN");
        assertThat(noTokenRelease.exitCode()).as(noTokenRelease.output()).isEqualTo(3);
        for (Result refused : List.of(badToken, badRelease)) {
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output())
                    .contains("HTTP 401 UNAUTHORIZED")
                    .contains("check BROKER_API_TOKEN")
                    .doesNotContain("wrong-token-4c1f");
        }
    }

    @Test
    void legacyScripts_setupAndCleanupAsTracksRunThemToday_work() {
        POOL.seed("lab-legacy", 1);
        String learner = learner();
        Map<String, String> env = Map.of(
                "BROKER_API_URL",
                apiUrl(),
                "BROKER_API_TOKEN",
                BrokerTestApp.LAB_TOKEN,
                "INSTRUQT_PARTICIPANT_ID",
                learner,
                "INSTRUQT_TRACK_SLUG",
                "dns-basics",
                "SANDBOX_NAME_PREFIX",
                "lab-legacy");

        Result setup = LabScript.run(legacy("setup_sandbox.py"), dir, env);
        Reply held = read(learner, file(dir, "subtenant_id.txt"));
        Result cleanup = LabScript.run(legacy("cleanup_sandbox.py"), dir, env);

        assertThat(setup.exitCode()).as(setup.output()).isZero();
        assertThat(setup.output()).contains("Expires: " + utc(held));
        assertStateFilesDescribe(held);
        assertThat(cleanup.exitCode()).as(cleanup.output()).isZero();
        assertThat(cleanup.output()).contains("Status: pending_deletion");
    }

    private static Path legacy(String name) {
        return Path.of(ResourceHelpers.resourceFilePath("legacy-lab-scripts/" + name));
    }

    /** expires_at as the scripts print it: time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(expires_at)). */
    private static String utc(Reply sandbox) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(sandbox.body().path("expires_at").asLong()));
    }

    private void writeState(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A load balancer in front of the API, as the ALB and its WAF behave: 503 while it has no
     * healthy target, a bare 403 while the WAF's rate rule blocks the address, else it passes
     * requests through.
     */
    private static final class LoadBalancer implements AutoCloseable {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        enum State {
            NO_HEALTHY_TARGET,
            WAF_BLOCKS,
            FORWARDS
        }

        final AtomicReference<State> state = new AtomicReference<>(State.NO_HEALTHY_TARGET);
        private final HttpServer server;
        private final int target;

        private LoadBalancer(HttpServer server, int target) {
            this.server = server;
            this.target = target;
        }

        static LoadBalancer on(int port, int target) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            LoadBalancer front = new LoadBalancer(server, target);
            server.createContext("/", front::handle);
            server.start();
            return front;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try {
                if (state.get() == State.WAF_BLOCKS) {
                    byte[] body = "<html><body><h1>403 Forbidden</h1></body></html>".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html");
                    exchange.sendResponseHeaders(403, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                if (state.get() == State.NO_HEALTHY_TARGET) {
                    byte[] body =
                            "{\"detail\":{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"no healthy target\",\"request_id\":\"lb\",\"retry_after\":1}}"
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + target + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.equalsIgnoreCase("Authorization")
                            || name.toLowerCase(java.util.Locale.ROOT).startsWith("x-")) {
                        values.forEach(v -> request.header(name, v));
                    }
                });
                HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers()
                        .firstValue("Content-Type")
                        .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
                if (response.body().length == 0) {
                    exchange.sendResponseHeaders(response.statusCode(), -1);
                } else {
                    exchange.sendResponseHeaders(response.statusCode(), response.body().length);
                    exchange.getResponseBody().write(response.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
