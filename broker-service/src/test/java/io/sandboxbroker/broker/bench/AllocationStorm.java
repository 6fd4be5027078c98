package io.sandboxbroker.broker.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An allocation storm against running brokers (scripts/bench-allocation.sh starts one or two API
 * processes): N learners, some of whom retry at once, at concurrency C, spread over the processes.
 *
 * <p>In the same run, at the same concurrency, it measures the storage floor: the DynamoDB call
 * sequence of an uncontended allocation (claim write + conditional sandbox update on a real pool item
 * of its own, plus the candidate query once per batch, the same query the brokers send) issued
 * through the broker's own repositories
 * straight to the same dynalite. Everything the broker spends above that floor is its own: HTTP,
 * JSON, extra calls from lost races, CPU taken from dynalite on the same cores.
 */
public final class AllocationStorm {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What local.yml configures (the defaults): one candidate query per 25 allocations, 8 shards. */
    private static final int CANDIDATE_BATCH = 25;

    private static final int SHARDS = 8;
    /**
     * The storm allocates from one name group, the floor claims sandboxes of another: the floor
     * never takes a sandbox the brokers hold in their candidate buffers.
     */
    private static final String STORM_GROUP = "bench-";

    private static final int WARMUP_CHUNK = 1000;
    private static final double SETTLED_COMPILE_MS = 0.25;
    /** Chunks in a row under {@link #SETTLED_COMPILE_MS}: one quiet chunk was often followed by more compiling. */
    private static final int SETTLED_CHUNKS = 2;

    private static final int WARMUP_REPLAYS = 3;

    private static final long IDLE_WINDOW_MS = 200;
    private static final long IDLE_WAIT_LIMIT_MS = 10_000;

    /** The storm's warm-up takes from a group of its own, so the measured storm starts on a whole group. */
    private static final String WARMUP_GROUP = "warm-";

    private static final String FLOOR_GROUP = "floor-";

    record Settings(
            List<String> urls,
            List<String> adminUrls,
            String labToken,
            String ddbEndpoint,
            String table,
            int learners,
            int concurrency,
            double duplicates,
            int warmup,
            int floorWarmup,
            int rounds) {

        static Settings from(Map<String, String> env) {
            return new Settings(
                    list(env.getOrDefault("BROKER_URLS", env.getOrDefault("BROKER_URL", "http://127.0.0.1:8080"))),
                    list(env.getOrDefault(
                            "BROKER_ADMIN_URLS", env.getOrDefault("BROKER_ADMIN_URL", "http://127.0.0.1:8081"))),
                    env.getOrDefault("BROKER_API_TOKEN", "local-lab-token"),
                    env.getOrDefault("DDB_ENDPOINT", "http://127.0.0.1:8000"),
                    env.getOrDefault("DDB_TABLE_NAME", "sandbox-broker-pool"),
                    Integer.parseInt(env.getOrDefault("LEARNERS", "1000")),
                    Integer.parseInt(env.getOrDefault("CONCURRENCY", "64")),
                    Double.parseDouble(env.getOrDefault("DUPLICATES", "0.10")),
                    Integer.parseInt(env.getOrDefault("WARMUP", "12000")),
                    Integer.parseInt(env.getOrDefault("FLOOR_WARMUP", "6000")),
                    Integer.parseInt(env.getOrDefault("ROUNDS", "4")));
        }

        private static List<String> list(String commaSeparated) {
            return Arrays.stream(commaSeparated.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
    }

    record Outcome(String learner, int status, String sandboxId, long nanos) {}

    /** The brokers' own counters, summed over the API processes. */
    record Counters(Map<String, Long> values) {
        long get(String name) {
            return values.getOrDefault(name, 0L);
        }

        long sumStartingWith(String prefix) {
            return values.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        Counters minus(Counters before) {
            Map<String, Long> delta = new HashMap<>(values);
            before.values().forEach((name, value) -> delta.merge(name, -value, Long::sum));
            return new Counters(delta);
        }
    }

    /** The floor's operations, calls, time, latencies and the CPU of each process while it ran (not its setup scan). */
    record Floor(int operations, long calls, long wallNanos, List<Long> latencies, Map<String, Long> cpu) {
        Floor plus(Floor other) {
            List<Long> all = new ArrayList<>(latencies);
            all.addAll(other.latencies());
            Collections.sort(all);
            return new Floor(
                    operations + other.operations(),
                    calls + other.calls(),
                    wallNanos + other.wallNanos(),
                    all,
                    ProcessCpu.plus(cpu, other.cpu()));
        }

        double callsPerSecond() {
            return calls / (wallNanos / 1e9);
        }

        double callsPerOperation() {
            return (double) calls / operations;
        }

        double p50PerCall() {
            return pct(latencies, 0.50) / callsPerOperation();
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(System.getenv());
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(settings.concurrency()))
                .build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        ProcessCpu cpu = ProcessCpu.from(System.getenv("CPU_PIDS"), System.getenv("CLK_TCK"));
        try (FloorClient floorClient = FloorClient.open(settings)) {
            // Both sides warm up first (JIT, connection pools), untimed.
            WarmUp floorWarmUp = untilCompilerSettles(cpu, ProcessCpu.CLIENT, settings.floorWarmup(), (sent, size) -> {
                floor(settings, floorClient, run + "-warm-" + sent, size, cpu);
                return size;
            });
            System.out.printf(
                    "warm-up of the floor: %d operations; the benchmark JVM's JIT compiler, ms of CPU per operation,"
                            + " chunk by chunk: %s%n",
                    floorWarmUp.sent(), floorWarmUp.compileMsByChunk());
            WarmUp apiWarmUp = untilCompilerSettles(cpu, "api", settings.warmup(), (sent, size) -> {
                List<String> requests = learners("storm-" + run + "-warm-" + sent + "-", size, WARMUP_REPLAYS);
                storm(settings, requests, WARMUP_GROUP, new ArrayList<>());
                counters(http, settings);
                return requests.size();
            });
            System.out.printf(
                    "warm-up of the API: %d learners asking %d times each; its JIT compiler, ms of CPU per request,"
                            + " chunk by chunk: %s%n",
                    apiWarmUp.sent(), WARMUP_REPLAYS + 1, apiWarmUp.compileMsByChunk());

            // Practice rounds, untimed. The measured rounds switch this JVM between the floor and the
            // storm's client, and the API between allocations and a metrics read: code each phase
            // shares with the other was deoptimised at the switches until both had taken turns for a
            // while (the floor's compiler took 2.9 ms of CPU per operation in a measured round).
            int perRound = settings.learners() / settings.rounds();
            for (int round = 0; round < settings.rounds() - 1; round++) {
                String practice = run + "-practice-" + round;
                round(
                        settings,
                        floorClient,
                        cpu,
                        practice,
                        learners("storm-" + practice + "-", perRound, settings.duplicates()),
                        WARMUP_GROUP);
                counters(http, settings);
            }

            // Floor and storm take turns in a few rounds, so that both see the same load on a shared
            // machine; their times and latencies are summed over the rounds.
            List<String> requests = learners("storm-" + run + "-", settings.learners(), settings.duplicates());
            Counters before = counters(http, settings);
            Round total = Round.NONE;
            for (int round = 0; round < settings.rounds(); round++) {
                int from = round * requests.size() / settings.rounds();
                int to = (round + 1) * requests.size() / settings.rounds();
                Round measured =
                        round(settings, floorClient, cpu, run + "-" + round, requests.subList(from, to), STORM_GROUP);
                System.out.printf(
                        "round %d: JIT compiler, ms of CPU per request: the benchmark's in the floor %.2f,"
                                + " the API's in the storm %.2f%n",
                        round,
                        compileNanos(measured.floorClientThreads())
                                / 1e6
                                / measured.floor().operations(),
                        compileNanos(measured.apiThreads()) / 1e6 / (to - from));
                total = total.plus(measured);
            }
            Counters delta = counters(http, settings).minus(before);

            report(settings, total.outcomes(), total.stormWallNanos(), delta, total.floor());
            reportCpu(
                    total.outcomes().size(),
                    total.stormCpu(),
                    total.floor().operations(),
                    total.floor().cpu());
            reportThreads(total.outcomes().size(), total.apiThreads());
            checkTable(settings, total.outcomes());
        }
        System.exit(0);
    }

    /**
     * One round: the floor's share of operations (LEARNERS / ROUNDS), then the storm's requests,
     * each phase once both JVMs' compilers are idle; what each phase cost, for the totals.
     */
    private record Round(
            Floor floor,
            Map<String, Long> floorClientThreads,
            List<Outcome> outcomes,
            long stormWallNanos,
            Map<String, Long> stormCpu,
            Map<String, Long> apiThreads) {
        static final Round NONE =
                new Round(new Floor(0, 0, 0, List.of(), Map.of()), Map.of(), List.of(), 0, Map.of(), Map.of());

        Round plus(Round other) {
            List<Outcome> all = new ArrayList<>(outcomes);
            all.addAll(other.outcomes());
            return new Round(
                    floor.plus(other.floor()),
                    ProcessCpu.plus(floorClientThreads, other.floorClientThreads()),
                    all,
                    stormWallNanos + other.stormWallNanos(),
                    ProcessCpu.plus(stormCpu, other.stormCpu()),
                    ProcessCpu.plus(apiThreads, other.apiThreads()));
        }
    }

    private static Round round(
            Settings settings,
            FloorClient floorClient,
            ProcessCpu cpu,
            String name,
            List<String> stormRequests,
            String group)
            throws InterruptedException {
        awaitCompilersIdle(cpu);
        Map<String, Long> clientBefore = cpu.threadsOf(ProcessCpu.CLIENT);
        Floor floor = floor(settings, floorClient, name, settings.learners() / settings.rounds(), cpu);
        Map<String, Long> floorClientThreads = ProcessCpu.minus(cpu.threadsOf(ProcessCpu.CLIENT), clientBefore);
        awaitCompilersIdle(cpu);
        Map<String, Long> cpuBefore = cpu.now();
        Map<String, Long> apiBefore = cpu.threadsOf("api");
        List<Outcome> outcomes = new ArrayList<>();
        long wall = storm(settings, stormRequests, group, outcomes);
        return new Round(
                floor,
                floorClientThreads,
                outcomes,
                wall,
                ProcessCpu.minus(cpu.now(), cpuBefore),
                ProcessCpu.minus(cpu.threadsOf("api"), apiBefore));
    }

    /** One chunk of a warm-up: {@code size} learners or operations after {@code sent}; answers the requests it sent. */
    @FunctionalInterface
    private interface WarmUpChunk {
        int run(int sent, int size) throws InterruptedException;
    }

    /** How much a warm-up sent, and its JIT compiler's CPU per request, chunk by chunk. */
    private record WarmUp(int sent, String compileMsByChunk) {}

    /**
     * Chunks of {@value #WARMUP_CHUNK} until the process's JIT compiler threads take less than
     * {@value #SETTLED_COMPILE_MS} ms of CPU per request in {@value #SETTLED_CHUNKS} chunks in a row,
     * or {@code budget} was sent. On a small machine, the compiler's one C2 thread keeps compiling the
     * request path for tens of thousands of requests: a storm, or a floor, measured before that
     * measures the compiler.
     *
     * <p>The API's chunks are learners who each ask {@value #WARMUP_REPLAYS} more times: replays run
     * most of the request path without taking a sandbox from the pool, so a pool of WARMUP sandboxes
     * warms with four times as many requests. After every chunk the API's warm-up reads the brokers'
     * metrics, as the measurement does before and after the storm and as Prometheus does in
     * production. That request takes paths no allocation takes (another servlet, a large gzipped
     * body, sorting): when the warm-up left it out, the first read after it deoptimised the compiled
     * request path (Jetty's parser, output and gzip handler, the servlet channel) and the storm
     * measured its recompilation, 0.6-1.2 ms of compiler CPU per request.
     */
    private static WarmUp untilCompilerSettles(ProcessCpu cpu, String process, int budget, WarmUpChunk chunk)
            throws InterruptedException {
        int sent = 0;
        int quietChunks = 0;
        StringBuilder byChunk = new StringBuilder();
        while (sent < budget && quietChunks < SETTLED_CHUNKS) {
            int size = Math.min(WARMUP_CHUNK, budget - sent);
            Map<String, Long> before = cpu.threadsOf(process);
            int requests = chunk.run(sent, size);
            double compileMs = compileNanos(ProcessCpu.minus(cpu.threadsOf(process), before)) / 1e6 / requests;
            byChunk.append(String.format(" %.2f", compileMs));
            quietChunks = compileMs < SETTLED_COMPILE_MS ? quietChunks + 1 : 0;
            sent += size;
        }
        return new WarmUp(sent, byChunk.toString().trim());
    }

    /**
     * Waits (at most {@value #IDLE_WAIT_LIMIT_MS} ms) until neither the API's JIT compilers nor the
     * benchmark's own took CPU in the last {@value #IDLE_WINDOW_MS} ms, so that each phase pays
     * for its own compiling and not for what the other phase queued (the API's compiler took
     * 0.78 ms of CPU per floor operation in a floor round after a storm round).
     */
    private static void awaitCompilersIdle(ProcessCpu cpu) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_LIMIT_MS);
        while (System.nanoTime() < deadline) {
            long before = compileNanos(cpu.threadsOf("api")) + compileNanos(cpu.threadsOf(ProcessCpu.CLIENT));
            Thread.sleep(IDLE_WINDOW_MS); // a window of time to measure over
            long after = compileNanos(cpu.threadsOf("api")) + compileNanos(cpu.threadsOf(ProcessCpu.CLIENT));
            if (after == before) {
                return;
            }
        }
    }

    private static long compileNanos(Map<String, Long> threads) {
        return threads.entrySet().stream()
                .filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static List<String> learners(String prefix, int count, double duplicates) {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(prefix + i);
        }
        Random random = new Random(42);
        int retries = (int) Math.round(count * duplicates);
        for (int i = 0; i < retries; i++) {
            requests.add(requests.get(random.nextInt(count)));
        }
        Collections.shuffle(requests, random);
        return requests;
    }

    /** Request i goes to process i mod n, so a learner's retries often land on another process. */
    private static long storm(Settings settings, List<String> requests, String group, List<Outcome> into)
            throws InterruptedException {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        long wall = runConcurrently(requests.size(), settings.concurrency(), i -> {
            String learner = requests.get(i);
            String url = settings.urls().get(i % settings.urls().size());
            long start = System.nanoTime();
            KeepAliveClient.Reply response = KeepAliveClient.post(
                    url,
                    "/v1/allocate",
                    Map.of(
                            "Authorization", "Bearer " + settings.labToken(),
                            "X-Instruqt-Sandbox-ID", learner,
                            "X-Sandbox-Name-Prefix", group));
            outcomes.add(new Outcome(
                    learner, response.status(), field(response.body(), "sandbox_id"), System.nanoTime() - start));
        });
        into.addAll(outcomes);
        return wall;
    }

    /**
     * The storage floor: per operation, the candidate query every {@value #CANDIDATE_BATCH}th time,
     * the learner's claim write and the conditional claim of a pool item nobody else is after, through
     * the broker's own repositories (same expressions, same item shapes, same index upkeep).
     */
    private static Floor floor(Settings settings, FloorClient client, String run, int operations, ProcessCpu cpu)
            throws InterruptedException {
        List<SandboxId> items = client.take(operations);
        long callsBefore = calls(client.registry());
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Map<String, Long> cpuBefore = cpu.now();
        long wall = runConcurrently(operations, settings.concurrency(), i -> {
            long start = System.nanoTime();
            if (i % CANDIDATE_BATCH == 0) {
                client.sandboxes().availableCandidates(STORM_GROUP, CANDIDATE_BATCH);
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
        return new Floor(
                operations,
                calls(client.registry()) - callsBefore,
                wall,
                latencies.stream().sorted().toList(),
                ProcessCpu.minus(cpu.now(), cpuBefore));
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
         * Finds every pool item the floor will claim at once: a scan before each round made the
         * JIT compile its unmarshalling while the round was measured (4.7 ms of compiler CPU per
         * operation in the first round).
         */
        static FloorClient open(Settings settings) {
            MetricRegistry registry = new MetricRegistry();
            DynamoDbClient dynamo = client(settings, new DynamoCallCounter(registry));
            return new FloorClient(
                    dynamo,
                    registry,
                    new DynamoClaimStore(dynamo, settings.table(), Duration.ofDays(7)),
                    new DynamoSandboxRepository(dynamo, settings.table(), SHARDS),
                    new ArrayDeque<>(
                            availableItems(dynamo, settings, settings.floorWarmup() + 2 * settings.learners())));
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
    private static List<SandboxId> availableItems(DynamoDbClient dynamo, Settings settings, int count) {
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

    private static void report(Settings settings, List<Outcome> outcomes, long wallNanos, Counters delta, Floor floor) {
        Map<Integer, Integer> byStatus = new HashMap<>();
        outcomes.forEach(o -> byStatus.merge(o.status(), 1, Integer::sum));
        long served = outcomes.stream()
                .filter(o -> o.status() == 200 || o.status() == 201)
                .count();
        List<Long> latencies = outcomes.stream().map(Outcome::nanos).sorted().toList();
        long calls = delta.sumStartingWith(DynamoCallCounter.CALLS + "{");
        long created = delta.get("broker_allocations{outcome=created}");
        long replayed = delta.get("broker_allocations{outcome=replayed}");
        double callsPerAllocation = (double) calls / Math.max(1, served);
        double allocationsPerSecond = served / (wallNanos / 1e9);
        double p50 = pct(latencies, 0.50);

        System.out.printf(
                "%n== allocation storm: %d learners, %d duplicate retries, concurrency %d, %d API process(es) ==%n",
                settings.learners(),
                outcomes.size() - settings.learners(),
                settings.concurrency(),
                settings.urls().size());
        System.out.printf("replies by status: %s%n", byStatus);
        System.out.printf("allocations/s (200+201): %.0f over %.2f s%n", allocationsPerSecond, wallNanos / 1e9);
        System.out.printf(
                "latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                p50, pct(latencies, 0.95), pct(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e6);
        System.out.printf(
                "DynamoDB calls per allocation: %.2f (%d calls for %d requests; by operation %s)%n",
                callsPerAllocation, calls, outcomes.size(), byOperation(delta));
        System.out.printf(
                "  per new allocation: %.2f (%d), per replay: %.2f (%d)%n",
                ratio(delta.get("broker_allocation_dynamodb_calls_total{outcome=created}"), created),
                created,
                ratio(delta.get("broker_allocation_dynamodb_calls_total{outcome=replayed}"), replayed),
                replayed);
        System.out.printf(
                "lost races per 100 allocations: %.1f (%d)%n",
                100.0 * delta.get("broker_allocation_conflicts") / Math.max(1, served),
                delta.get("broker_allocation_conflicts"));

        System.out.printf(
                "floor (same dynalite, same concurrency, no HTTP): %.0f allocations/s, %.2f calls each, "
                        + "%.0f calls/s, p50 %.1f ms (%.2f ms per call)%n",
                floor.operations() / (floor.wallNanos() / 1e9),
                floor.callsPerOperation(),
                floor.callsPerSecond(),
                pct(floor.latencies(), 0.50),
                floor.p50PerCall());
        System.out.printf(
                "efficiency (allocations/s x calls per allocation / floor calls/s): %.2f%n",
                allocationsPerSecond * callsPerAllocation / floor.callsPerSecond());
        System.out.printf(
                "p50 vs floor: %.1f ms against %.1f ms (floor p50 per call x %.2f calls) = %.2f; "
                        + "against the floor's own p50 %.1f ms = %.2f%n",
                p50,
                floor.p50PerCall() * callsPerAllocation,
                callsPerAllocation,
                p50 / (floor.p50PerCall() * callsPerAllocation),
                pct(floor.latencies(), 0.50),
                p50 / pct(floor.latencies(), 0.50));
    }

    /**
     * CPU per request of every process, storm and floor: on a machine with few cores, the rate of
     * each is bounded by cores / (CPU per request of all processes together), whatever the code.
     */
    private static void reportCpu(
            int stormRequests, Map<String, Long> stormCpu, int floorOperations, Map<String, Long> floorCpu) {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "CPU ms per request (storm, %d requests): %s; floor (%d operations): %s; "
                        + "%d cores -> CPU-bound rates %.0f/s storm, %.0f/s floor%n",
                stormRequests,
                perRequest(stormCpu, stormRequests),
                floorOperations,
                perRequest(floorCpu, floorOperations),
                cores,
                cores * 1e9 / (total(stormCpu) / (double) stormRequests),
                cores * 1e9 / (total(floorCpu) / (double) floorOperations));
    }

    /** Which threads of the API processes took that CPU: request threads, JIT, GC, logging, timers. */
    private static void reportThreads(int requests, Map<String, Long> threads) {
        StringBuilder text = new StringBuilder();
        threads.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> text.append(String.format("%s %.2f, ", e.getKey(), e.getValue() / 1e6 / requests)));
        System.out.printf("API CPU ms per request by thread: %s%n", text);
    }

    private static String perRequest(Map<String, Long> cpu, int requests) {
        StringBuilder text = new StringBuilder();
        cpu.forEach((name, nanos) -> text.append(String.format("%s %.2f, ", name, nanos / 1e6 / requests)));
        return text.append(String.format("all %.2f", total(cpu) / 1e6 / requests))
                .toString();
    }

    private static long total(Map<String, Long> cpu) {
        return cpu.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String byOperation(Counters delta) {
        Map<String, Long> ops = new java.util.TreeMap<>();
        delta.values().forEach((name, value) -> {
            if (name.startsWith(DynamoCallCounter.CALLS + "{operation=") && value > 0) {
                ops.put(name.substring((DynamoCallCounter.CALLS + "{operation=").length(), name.length() - 1), value);
            }
        });
        return ops.toString();
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private static void checkTable(Settings settings, List<Outcome> outcomes) {
        Map<String, Set<String>> sandboxesByLearner = new HashMap<>();
        outcomes.stream()
                .filter(o -> o.sandboxId() != null)
                .forEach(o -> sandboxesByLearner
                        .computeIfAbsent(o.learner(), k -> new HashSet<>())
                        .add(o.sandboxId()));
        long learnersWithTwo =
                sandboxesByLearner.values().stream().filter(s -> s.size() > 1).count();

        Map<String, String> ownerBySandbox = new HashMap<>();
        Map<String, Integer> heldByLearner = new HashMap<>();
        AtomicInteger sharedSandboxes = new AtomicInteger();
        try (DynamoDbClient dynamo = client(settings)) {
            dynamo.scanPaginator(b -> b.tableName(settings.table())).items().forEach(item -> {
                AttributeValue learner = item.get("allocated_to_track");
                if (item.get("sandbox_id") == null
                        || learner == null
                        || !learner.s().startsWith("storm-")) {
                    return;
                }
                if (ownerBySandbox.put(item.get("sandbox_id").s(), learner.s()) != null) {
                    sharedSandboxes.incrementAndGet();
                }
                heldByLearner.merge(learner.s(), 1, Integer::sum);
            });
        }
        long tableDoubles = heldByLearner.values().stream().filter(n -> n > 1).count();
        System.out.printf(
                "table check: %d sandboxes held by storm learners, learners holding two: %d, "
                        + "learners told two ids: %d, sandboxes with two owners: %d -> %s%n",
                ownerBySandbox.size(),
                tableDoubles,
                learnersWithTwo,
                sharedSandboxes.get(),
                tableDoubles == 0 && learnersWithTwo == 0 && sharedSandboxes.get() == 0 ? "OK" : "DOUBLE ALLOCATION");
    }

    private static long runConcurrently(int count, int concurrency, IntConsumer task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        task.accept(i);
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                        throw e;
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the storm did not finish in 30 minutes");
        }
        return System.nanoTime() - start;
    }

    private static Counters counters(HttpClient http, Settings settings) {
        Map<String, Long> sum = new HashMap<>();
        for (String adminUrl : settings.adminUrls()) {
            JsonNode counters = parse(send(
                                    http,
                                    HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                                            .GET()
                                            .build())
                            .body())
                    .path("counters");
            for (var it = counters.fields(); it.hasNext(); ) {
                var entry = it.next();
                sum.merge(entry.getKey(), entry.getValue().path("count").asLong(), Long::sum);
            }
        }
        return new Counters(sum);
    }

    private static DynamoDbClient client(Settings settings, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(settings.ddbEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.concurrency() * 2))
                .overrideConfiguration(c -> Arrays.stream(interceptors).forEach(c::addExecutionInterceptor))
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
