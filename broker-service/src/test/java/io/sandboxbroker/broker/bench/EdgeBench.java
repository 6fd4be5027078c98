package io.sandboxbroker.broker.bench;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge filters' cost (scripts/bench-edge.sh): the same application twice in one JVM, once with
 * edge.enabled=true (rate limits, CORS, access log as JSON lines to a file, HTTP metrics) and once
 * with false, on one dynalite. Sequential keep-alive requests to a cheap endpoint, alternating
 * rounds between the two so that JIT warm-up and machine noise fall on both alike. Prints p50/p99
 * per endpoint and configuration, and the difference. A benchmark, not a test: it asserts nothing.
 */
public final class EdgeBench {
    private static final String TOKEN = "bench-lab-token";
    private static final String LEARNER = "bench-learner";

    record Target(String name, String path, boolean authenticated) {}

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "3000"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "6"));
        int perRound = Integer.parseInt(System.getenv().getOrDefault("PER_ROUND", "2000"));

        Map<Boolean, DropwizardTestSupport<BrokerConfiguration>> apps = new LinkedHashMap<>();
        String sandboxId = null;
        try {
            for (boolean edge : new boolean[] {true, false}) {
                String table = TestDynamo.uniqueTable("bench-edge");
                Pool pool = Pool.of(table);
                pool.seed("bench", 2);
                DropwizardTestSupport<BrokerConfiguration> app = new DropwizardTestSupport<>(
                        BrokerApplication.class,
                        ResourceHelpers.resourceFilePath("bench-edge.yml"),
                        ConfigOverride.config("dynamodb.endpoint", TestDynamo.endpoint()),
                        ConfigOverride.config("dynamodb.tableName", table),
                        ConfigOverride.config("edge.enabled", Boolean.toString(edge)));
                app.before();
                apps.put(edge, app);
            }
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            Map<Boolean, String> owned = new LinkedHashMap<>();
            for (var app : apps.entrySet()) {
                HttpResponse<String> allocated = http.send(
                        request(app.getValue().getLocalPort(), "/v1/allocate", true)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                owned.put(app.getKey(), allocated.body().replaceAll(".*\"sandbox_id\":\"([^\"]+)\".*", "$1"));
            }
            List<Target> targets = List.of(
                    new Target("GET /healthz", "/healthz", false),
                    new Target("GET /v1/sandboxes/{id}", "/v1/sandboxes/", true));

            System.out.printf(
                    "edge bench: warm-up %d, %d rounds x %d sequential requests per configuration%n",
                    warmup, rounds, perRound);
            System.out.printf("%-24s %-10s %10s %10s %10s%n", "endpoint", "edge", "p50 us", "p99 us", "mean us");
            for (Target target : targets) {
                Map<Boolean, long[]> samples = new LinkedHashMap<>();
                for (var app : apps.entrySet()) {
                    run(http, app.getValue().getLocalPort(), path(target, owned.get(app.getKey())), target, warmup);
                    samples.put(app.getKey(), new long[0]);
                }
                for (int round = 0; round < rounds; round++) {
                    for (var app : apps.entrySet()) {
                        long[] round1 = run(
                                http,
                                app.getValue().getLocalPort(),
                                path(target, owned.get(app.getKey())),
                                target,
                                perRound);
                        long[] all = samples.get(app.getKey());
                        long[] merged = Arrays.copyOf(all, all.length + round1.length);
                        System.arraycopy(round1, 0, merged, all.length, round1.length);
                        samples.put(app.getKey(), merged);
                    }
                }
                long[] on = samples.get(true);
                long[] off = samples.get(false);
                print(target.name(), "on", on);
                print(target.name(), "off", off);
                System.out.printf(
                        "%-24s %-10s %+10.1f %+10.1f %+10.1f%n",
                        target.name(),
                        "overhead",
                        (pct(on, 50) - pct(off, 50)) / 1e3,
                        (pct(on, 99) - pct(off, 99)) / 1e3,
                        (mean(on) - mean(off)) / 1e3);
            }
        } finally {
            apps.values().forEach(DropwizardTestSupport::after);
            TestDynamo.dynalite().stop();
        }
        System.exit(0);
    }

    private static String path(Target target, String sandboxId) {
        return target.authenticated() ? target.path() + sandboxId : target.path();
    }

    private static HttpRequest.Builder request(int port, String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authenticated) {
            request.header("Authorization", "Bearer " + TOKEN).header("X-Instruqt-Sandbox-ID", LEARNER);
        }
        return request;
    }

    private static long[] run(HttpClient http, int port, String path, Target target, int count) throws Exception {
        HttpRequest request = request(port, path, target.authenticated()).GET().build();
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
        }
        return nanos;
    }

    private static void print(String endpoint, String edge, long[] nanos) {
        System.out.printf(
                "%-24s %-10s %10.1f %10.1f %10.1f%n",
                endpoint, edge, pct(nanos, 50) / 1e3, pct(nanos, 99) / 1e3, mean(nanos) / 1e3);
    }

    private static double pct(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static double mean(long[] nanos) {
        return Arrays.stream(nanos).average().orElse(0);
    }
}
