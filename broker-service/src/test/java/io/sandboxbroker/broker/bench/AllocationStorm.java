package io.sandboxbroker.broker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * An allocation storm against a running broker (scripts/bench-allocation.sh starts one): N learners,
 * some of whom retry at once, at concurrency C. Prints allocations/s, latency percentiles, DynamoDB
 * calls per allocation (from the broker's own counters), checks the table for double allocations,
 * and measures raw conditional UpdateItem/s on the same dynalite at the same concurrency.
 */
public final class AllocationStorm {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Settings(String url, String adminUrl, String labToken, String ddbEndpoint, String table, int learners,
            int concurrency, double duplicates) {

        static Settings from(Map<String, String> env) {
            return new Settings(env.getOrDefault("BROKER_URL", "http://127.0.0.1:8080"),
                    env.getOrDefault("BROKER_ADMIN_URL", "http://127.0.0.1:8081"),
                    env.getOrDefault("BROKER_API_TOKEN", "local-lab-token"),
                    env.getOrDefault("DDB_ENDPOINT", "http://127.0.0.1:8000"),
                    env.getOrDefault("DDB_TABLE_NAME", "sandbox-broker-pool"),
                    Integer.parseInt(env.getOrDefault("LEARNERS", "1000")),
                    Integer.parseInt(env.getOrDefault("CONCURRENCY", "64")),
                    Double.parseDouble(env.getOrDefault("DUPLICATES", "0.10")));
        }
    }

    record Outcome(String learner, int status, String sandboxId, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(System.getenv());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(settings.concurrency())).build();

        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < settings.learners(); i++) {
            requests.add("storm-" + run + "-" + i);
        }
        Random random = new Random(42);
        int retries = (int) Math.round(settings.learners() * settings.duplicates());
        for (int i = 0; i < retries; i++) {
            requests.add(requests.get(random.nextInt(settings.learners())));
        }
        Collections.shuffle(requests, random);

        long callsBefore = dynamoCalls(http, settings);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        long wall = runConcurrently(requests.size(), settings.concurrency(), i -> {
            String learner = requests.get(i);
            long start = System.nanoTime();
            HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(settings.url() + "/v1/allocate"))
                    .header("Authorization", "Bearer " + settings.labToken())
                    .header("X-Instruqt-Sandbox-ID", learner)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            outcomes.add(new Outcome(learner, response.statusCode(), field(response.body(), "sandbox_id"),
                    System.nanoTime() - start));
        });
        long calls = dynamoCalls(http, settings) - callsBefore;

        report(settings, new ArrayList<>(outcomes), wall, calls);
        double rawPerSecond = rawConditionalUpdates(settings, requests.size());
        double allocationsPerSecond = outcomes.stream().filter(o -> o.status() == 200 || o.status() == 201).count()
                / (wall / 1e9);
        System.out.printf("raw conditional UpdateItem/s on the same dynalite at concurrency %d: %.0f%n",
                settings.concurrency(), rawPerSecond);
        System.out.printf("ratio allocations/s / raw updates/s: %.2f%n", allocationsPerSecond / rawPerSecond);
        checkTable(settings, new ArrayList<>(outcomes));
        System.exit(0);
    }

    private static void report(Settings settings, List<Outcome> outcomes, long wallNanos, long dynamoCalls) {
        Map<Integer, Integer> byStatus = new HashMap<>();
        outcomes.forEach(o -> byStatus.merge(o.status(), 1, Integer::sum));
        long served = outcomes.stream().filter(o -> o.status() == 200 || o.status() == 201).count();
        List<Long> latencies = outcomes.stream().map(Outcome::nanos).sorted().toList();
        System.out.printf("%n== allocation storm: %d learners, %d duplicate retries, concurrency %d ==%n",
                settings.learners(), outcomes.size() - settings.learners(), settings.concurrency());
        System.out.printf("replies by status: %s%n", byStatus);
        System.out.printf("allocations/s (200+201): %.0f over %.2f s%n", served / (wallNanos / 1e9), wallNanos / 1e9);
        System.out.printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", pct(latencies, 0.50),
                pct(latencies, 0.95), pct(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e6);
        System.out.printf("DynamoDB calls per request: %.2f (%d calls for %d requests)%n",
                (double) dynamoCalls / outcomes.size(), dynamoCalls, outcomes.size());
    }

    private static void checkTable(Settings settings, List<Outcome> outcomes) {
        Map<String, Set<String>> sandboxesByLearner = new HashMap<>();
        outcomes.stream().filter(o -> o.sandboxId() != null)
                .forEach(o -> sandboxesByLearner.computeIfAbsent(o.learner(), k -> new HashSet<>()).add(o.sandboxId()));
        long learnersWithTwo = sandboxesByLearner.values().stream().filter(s -> s.size() > 1).count();

        Map<String, String> ownerBySandbox = new HashMap<>();
        Map<String, Integer> heldByLearner = new HashMap<>();
        AtomicInteger sharedSandboxes = new AtomicInteger();
        try (DynamoDbClient dynamo = client(settings)) {
            // A benchmark may scan; the broker never does on its request path.
            dynamo.scanPaginator(b -> b.tableName(settings.table())).items().forEach(item -> {
                AttributeValue learner = item.get("allocated_to_track");
                if (item.get("sandbox_id") == null || learner == null || !learner.s().startsWith("storm-")) {
                    return;
                }
                if (ownerBySandbox.put(item.get("sandbox_id").s(), learner.s()) != null) {
                    sharedSandboxes.incrementAndGet();
                }
                heldByLearner.merge(learner.s(), 1, Integer::sum);
            });
        }
        long tableDoubles = heldByLearner.values().stream().filter(n -> n > 1).count();
        System.out.printf("table check: %d sandboxes held by storm learners, learners holding two: %d, "
                        + "learners told two ids: %d, sandboxes with two owners: %d -> %s%n",
                ownerBySandbox.size(), tableDoubles, learnersWithTwo, sharedSandboxes.get(),
                tableDoubles == 0 && learnersWithTwo == 0 && sharedSandboxes.get() == 0 ? "OK" : "DOUBLE ALLOCATION");
    }

    /** Conditional UpdateItems on items of their own, the cheapest write a claim could be. */
    private static double rawConditionalUpdates(Settings settings, int operations) throws Exception {
        String prefix = "BENCH#" + UUID.randomUUID() + "#";
        ConcurrentHashMap<Integer, Boolean> done = new ConcurrentHashMap<>();
        try (DynamoDbClient dynamo = client(settings)) {
            long wall = runConcurrently(operations, settings.concurrency(), i -> {
                try {
                    dynamo.updateItem(b -> b.tableName(settings.table())
                            .key(Map.of("pk", AttributeValue.fromS(prefix + i), "sk", AttributeValue.fromS("BENCH")))
                            .updateExpression("SET v = :v")
                            .conditionExpression("attribute_not_exists(v)")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
                    done.put(i, true);
                } catch (ConditionalCheckFailedException impossible) {
                    throw new IllegalStateException(impossible);
                }
            });
            for (int i = 0; i < operations; i++) {
                int index = i;
                dynamo.deleteItem(b -> b.tableName(settings.table())
                        .key(Map.of("pk", AttributeValue.fromS(prefix + index), "sk", AttributeValue.fromS("BENCH"))));
            }
            return done.size() / (wall / 1e9);
        }
    }

    private static long runConcurrently(int count, int concurrency, IntConsumer task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.accept(i);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the storm did not finish in 30 minutes");
        }
        return System.nanoTime() - start;
    }

    private static long dynamoCalls(HttpClient http, Settings settings) {
        JsonNode counters = parse(send(http, HttpRequest.newBuilder(URI.create(settings.adminUrl() + "/metrics"))
                .GET().build()).body()).path("counters");
        long sum = 0;
        for (var it = counters.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().startsWith("broker_dynamodb_calls{")) {
                sum += entry.getValue().path("count").asLong();
            }
        }
        return sum;
    }

    private static DynamoDbClient client(Settings settings) {
        return DynamoDbClient.builder().endpointOverride(URI.create(settings.ddbEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.concurrency() * 2))
                .build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + request.uri(), e);
        }
    }

    private static String field(String body, String name) {
        JsonNode value = parse(body).path(name);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
