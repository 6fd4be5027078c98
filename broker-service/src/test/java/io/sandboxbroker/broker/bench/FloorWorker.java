package io.sandboxbroker.broker.bench;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.config.DynamoConfig;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.db.DynamoAttemptMetrics;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoClients;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The storage floor, in a JVM of its own that {@link AllocationStorm} starts and drives: per
 * operation, the candidate query every {@value #CANDIDATE_BATCH}th time, the learner's claim write
 * and the conditional claim of a pool item nobody else is after, through the broker's own
 * repositories (same expressions, same item shapes, same index upkeep) straight to dynalite.
 *
 * <p>Its own JVM because a floor sent from the JVM that also runs the storm's HTTP client never
 * settled: each switch between the two deoptimised the code they share, and that JVM's compiler
 * still took 0.4-1.3 ms of CPU per floor operation in measured rounds, after warm-up and practice
 * rounds. Here the JIT only ever sees the floor.
 *
 * <p>Protocol, one line each way: the worker prints {@code ready} once it holds its pool items;
 * then for each line {@code <name> <operations>} on stdin it runs that many operations at the
 * run's concurrency and prints {@code <DynamoDB calls> <wall nanos> <latency nanos,…>}. It exits
 * when stdin closes.
 */
final class FloorWorker {
    /** What local.yml configures (the default): one candidate query per 25 allocations. */
    static final int CANDIDATE_BATCH = 25;

    private static final int SHARDS = 8;
    private static final String FLOOR_GROUP = "floor-";

    private FloorWorker() {}

    /** What one command measured; CPU is measured by the driver, from outside. */
    record Measured(long calls, long wallNanos, List<Long> latencies) {
        String toLine() {
            return calls + " " + wallNanos + " "
                    + latencies.stream().map(String::valueOf).collect(Collectors.joining(","));
        }

        static Measured fromLine(String line) {
            String[] parts = line.split(" ");
            List<Long> latencies = new ArrayList<>();
            for (String latency : parts[2].split(",")) {
                latencies.add(Long.parseLong(latency));
            }
            return new Measured(Long.parseLong(parts[0]), Long.parseLong(parts[1]), latencies);
        }
    }

    public static void main(String[] args) throws Exception {
        AllocationStorm.Settings settings = AllocationStorm.Settings.from(System.getenv());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FloorClient client = FloorClient.open(settings)) {
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] command = line.split(" ");
                out.println(floor(settings, client, command[0], Integer.parseInt(command[1]))
                        .toLine());
            }
        }
        System.exit(0);
    }

    private static Measured floor(AllocationStorm.Settings settings, FloorClient client, String run, int operations)
            throws InterruptedException {
        List<SandboxId> items = client.take(operations);
        long callsBefore = calls(client.registry());
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long wall = AllocationStorm.runConcurrently(operations, settings.concurrency(), i -> {
            long start = System.nanoTime();
            if (i % CANDIDATE_BATCH == 0) {
                client.sandboxes().availableCandidates(AllocationStorm.STORM_GROUP, CANDIDATE_BATCH);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String learner = "floor-" + run + "-" + i;
            LearnerClaim claim = new LearnerClaim(new LearnerId(learner), items.get(i), learner, now);
            String writeToken = UUID.randomUUID().toString();
            if (client.claims().createOrGet(claim, writeToken).isPresent()
                    || client.sandboxes()
                            .claim(items.get(i), claim, null, now, now.plus(Duration.ofHours(48)), writeToken)
                            .isEmpty()) {
                throw new IllegalStateException("the floor met contention: " + items.get(i));
            }
            latencies.add(System.nanoTime() - start);
        });
        return new Measured(
                calls(client.registry()) - callsBefore,
                wall,
                latencies.stream().sorted().toList());
    }

    /**
     * The floor's side of the storage: one SDK client, counted, and the broker's repositories on it,
     * for the whole run (a client per round measured its connection set-up as the floor's).
     */
    private record FloorClient(
            DynamoDbClient dynamo,
            MetricRegistry registry,
            DynamoClaimStore claims,
            DynamoSandboxRepository sandboxes,
            Deque<SandboxId> items)
            implements AutoCloseable {
        /**
         * The client is built as the broker builds its own, from the configuration local.yml gives
         * (retry strategy, attempt and call timeouts, attempt counting): its cost is storage cost.
         * Finds every pool item the floor will claim at once: a scan before each round made the JIT
         * compile its unmarshalling while the round was measured (4.7 ms of compiler CPU per
         * operation in the first round).
         */
        static FloorClient open(AllocationStorm.Settings settings) {
            MetricRegistry registry = new MetricRegistry();
            DynamoConfig config = new DynamoConfig(
                    settings.table(),
                    "unused",
                    "us-east-1",
                    settings.ddbEndpoint(),
                    false,
                    SHARDS,
                    0,
                    null,
                    null,
                    0,
                    null,
                    null,
                    null);
            DynamoDbClient dynamo =
                    DynamoClients.build(config, new DynamoAttemptMetrics(registry), new DynamoCallCounter(registry));
            return new FloorClient(
                    dynamo,
                    registry,
                    new DynamoClaimStore(dynamo, settings.table(), Duration.ofDays(7)),
                    new DynamoSandboxRepository(dynamo, settings.table(), SHARDS),
                    new ArrayDeque<>(availableItems(dynamo, settings, settings.floorNeeds())));
        }

        List<SandboxId> take(int count) {
            List<SandboxId> taken = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                taken.add(items.remove());
            }
            return taken;
        }

        @Override
        public void close() {
            dynamo.close();
        }
    }

    private static long calls(MetricRegistry registry) {
        return registry.getCounters((name, metric) -> name.startsWith(DynamoCallCounter.CALLS)).values().stream()
                .mapToLong(c -> c.getCount())
                .sum();
    }

    /** A benchmark may scan; the broker never does on its request path. */
    private static List<SandboxId> availableItems(DynamoDbClient dynamo, AllocationStorm.Settings settings, int count) {
        List<SandboxId> found = new ArrayList<>();
        for (var item : (Iterable<Map<String, AttributeValue>>) dynamo.scanPaginator(b -> b.tableName(settings.table())
                        .filterExpression("#status = :available AND begins_with(#name, :group)")
                        .expressionAttributeNames(Map.of("#status", "status", "#name", "name"))
                        .expressionAttributeValues(Map.of(
                                ":available",
                                AttributeValue.fromS("available"),
                                ":group",
                                AttributeValue.fromS(FLOOR_GROUP))))
                .items()::iterator) {
            found.add(new SandboxId(item.get("sandbox_id").s()));
            if (found.size() == count) {
                return found;
            }
        }
        throw new IllegalStateException(
                "the floor needs " + count + " available sandboxes, the pool has " + found.size());
    }

    /**
     * The driver's end: starts the worker with the benchmark's classpath and {@code FLOOR_JAVA_OPTS},
     * waits for its scan, and sends it commands. Its pid lets {@link ProcessCpu} account for its CPU
     * under the name {@value #PROCESS}.
     */
    static final class Handle implements AutoCloseable {
        static final String PROCESS = "floor";

        private final Process process;
        private final BufferedReader replies;
        private final PrintStream commands;

        private Handle(Process process) {
            this.process = process;
            this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Handle start(String javaOptions) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            for (String option : javaOptions.trim().split("\\s+")) {
                if (!option.isEmpty()) {
                    command.add(option);
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FloorWorker.class.getName()));
            Handle handle = new Handle(new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
            handle.expect("ready");
            return handle;
        }

        long pid() {
            return process.pid();
        }

        Measured run(String name, int operations) throws IOException {
            commands.println(name + " " + operations);
            return Measured.fromLine(expect(null));
        }

        private String expect(String exactly) throws IOException {
            String line = replies.readLine();
            if (line == null || (exactly != null && !exactly.equals(line))) {
                throw new IllegalStateException("the floor worker failed (see its output above), it said: " + line);
            }
            return line;
        }

        @Override
        public void close() throws InterruptedException {
            commands.close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
