package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.support.Repo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a newcomer runs it: {@code ./scripts/run-local.sh} brings up dynalite, the fake
 * provider, the API and a jobs process with a seeded pool; the sample call of its banner allocates; one signal stops
 * everything it started. Runs on the jar this build packaged ({@code SKIP_BUILD=1}) and on free ports.
 */
class RunLocalScriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void runLocal_startsTheWholeBrokerWithASeededPool_andOneSignalStopsIt(@TempDir Path runDir) throws Exception {
        int apiPort = freePort();
        int adminPort = freePort();
        List<String> output = new CopyOnWriteArrayList<>();
        // its own session, as in a terminal: the script stops its whole process group on a signal
        ProcessBuilder builder = new ProcessBuilder("setsid", "./scripts/run-local.sh")
                .directory(Repo.root().toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("BROKER_") || k.startsWith("DDB_"));
        builder.environment()
                .putAll(Map.of(
                        "SKIP_BUILD", "1",
                        // absolute, as a newcomer might give it
                        "RUN_DIR", runDir.toAbsolutePath().toString(),
                        "BROKER_PORT", Integer.toString(apiPort),
                        "BROKER_ADMIN_PORT", Integer.toString(adminPort),
                        "FAKE_GROUPS", "lab-start:5"));
        Process script = builder.start();
        Thread reader = new Thread(() -> read(script, output), "run-local-output");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .until(() ->
                            !script.isAlive() || output.stream().anyMatch(l -> l.contains("Ctrl-C stops everything")));
            assertThat(script.isAlive())
                    .as("run-local.sh output:%n%s", String.join("\n", output))
                    .isTrue();
            Map<String, String> env = envFile(runDir.resolve("env"));
            assertThat(env.get("BROKER_URL")).isEqualTo("http://127.0.0.1:" + apiPort);
            assertThat(Files.readString(runDir.resolve("api.log"))).contains("Started");

            JsonNode first = allocate(env, "newcomer-1", 201);
            JsonNode again = allocate(env, "newcomer-1", 200);
            assertThat(first.get("sandbox_id").asText()).isNotBlank();
            assertThat(again.get("sandbox_id")).isEqualTo(first.get("sandbox_id"));
            assertThat(first.get("expires_at").isIntegralNumber()).isTrue();

            int dynamoPort = URI.create(env.get("DDB_ENDPOINT")).getPort();
            script.toHandle().destroy();
            assertThat(script.waitFor(60, TimeUnit.SECONDS))
                    .as("run-local.sh stops on SIGTERM")
                    .isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(List.of(apiPort, adminPort, dynamoPort))
                            .as("ports still served after the stop")
                            .noneMatch(RunLocalScriptIT::listening));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    private JsonNode allocate(Map<String, String> env, String learner, int expectedStatus) throws Exception {
        HttpResponse<String> reply = http.send(
                HttpRequest.newBuilder(URI.create(env.get("BROKER_URL") + "/v1/allocate"))
                        .header("Authorization", "Bearer " + env.get("BROKER_API_TOKEN"))
                        .header("X-Instruqt-Sandbox-ID", learner)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(expectedStatus);
        return JSON.readTree(reply.body());
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void read(Process process, List<String> into) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                into.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
