package io.sandboxbroker.broker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.db.DynamoAttemptMetrics;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
 * through the broker's own repositories straight to the same dynalite, from a JVM of its own
 * ({@link FloorWorker}). Everything the broker spends above that floor is its own: HTTP, JSON,
 * extra calls from lost races, CPU taken from dynalite on the same cores.
 */
public final class AllocationStorm {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The storm allocates from one name group, the floor claims sandboxes of another: the floor
     * never takes a sandbox the brokers hold in their candidate buffers.
     */
    static final String STORM_GROUP = "bench-";

    private static final int WARMUP_CHUNK = 1000;
    private static final double SETTLED_COMPILE_MS = 0.05;
    /** Chunks in a row under {@link #SETTLED_COMPILE_MS}: one quiet chunk was often followed by more compiling. */
    private static final int SETTLED_CHUNKS = 2;

    private static final int WARMUP_REPLAYS = 3;

    private static final long IDLE_WINDOW_MS = 200;
    private static final long IDLE_WAIT_LIMIT_MS = 10_000;

    /** The API's warm-up takes from a group of its own, so the storm's group is whole when practice starts. */
    private static final String WARMUP_GROUP = "warm-";

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

        /** Pool items the floor claims: its warm-up, the practice rounds and the measured rounds. */
        int floorNeeds() {
            return floorWarmup + 2 * learners;
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

        /** The counters with a name that starts with one of the prefixes, and that counted something. */
        SortedMap<String, Long> nonZeroStartingWith(String... prefixes) {
            SortedMap<String, Long> found = new TreeMap<>();
            values.forEach((name, value) -> {
                if (value > 0 && Arrays.stream(prefixes).anyMatch(name::startsWith)) {
                    found.put(name, value);
                }
            });
            return found;
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

    /**
     * The floor's operations, calls, time, latencies, and the CPU and run-queue wait of each process
     * while it ran (not its setup scan).
     */
    record Floor(
            int operations,
            long calls,
            long wallNanos,
            List<Long> latencies,
            Map<String, Long> cpu,
            Map<String, Long> waits) {
        Floor plus(Floor other) {
            List<Long> all = new ArrayList<>(latencies);
            all.addAll(other.latencies());
            Collections.sort(all);
            return new Floor(
                    operations + other.operations(),
                    calls + other.calls(),
                    wallNanos + other.wallNanos(),
                    all,
                    ProcessCpu.plus(cpu, other.cpu()),
                    ProcessCpu.plus(waits, other.waits()));
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
        try (FloorWorker.Handle floorWorker =
                FloorWorker.Handle.start(System.getenv().getOrDefault("FLOOR_JAVA_OPTS", ""))) {
            ProcessCpu cpu = ProcessCpu.from(System.getenv("CPU_PIDS"), System.getenv("CLK_TCK"))
                    .with(FloorWorker.Handle.PROCESS, floorWorker.pid());
            // Both sides warm up first (JIT, connection pools), untimed.
            WarmUp floorWarmUp =
                    untilCompilerSettles(cpu, FloorWorker.Handle.PROCESS, settings.floorWarmup(), (sent, size) -> {
                        floor(floorWorker, run + "-warm-" + sent, size, cpu);
                        return size;
                    });
            System.out.printf(
                    "warm-up of the floor: %d operations; the floor JVM's JIT compiler, ms of CPU per operation,"
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

            // Practice rounds, untimed. The measured rounds switch the API between allocations and a
            // metrics read, and the machine between the floor and the storm: code each phase shares
            // with the other was deoptimised at the switches until both had taken turns for a while
            // (the floor's compiler took 2.9 ms of CPU per operation in a measured round, when the
            // floor still ran in this JVM). They allocate from the storm's own group: a broker's first
            // reads of a group take paths later reads do not, and the API's compiler took 1.0-1.3 ms
            // of CPU per request in the first measured round of three runs whose practice used the
            // warm-up's group.
            int perRound = settings.learners() / settings.rounds();
            for (int round = 0; round < settings.rounds() - 1; round++) {
                String practice = run + "-practice-" + round;
                round(
                        settings,
                        floorWorker,
                        cpu,
                        practice,
                        learners("storm-" + practice + "-", perRound, settings.duplicates()),
                        STORM_GROUP);
                counters(http, settings);
            }

            // Floor and storm take turns in a few rounds, so that both see the same load on a shared
            // machine; their times and latencies are summed over the rounds.
            List<String> requests = learners("storm-" + run + "-", settings.learners(), settings.duplicates());
            Counters before = counters(http, settings);
            List<Round> measuredRounds = new ArrayList<>();
            for (int round = 0; round < settings.rounds(); round++) {
                int from = round * requests.size() / settings.rounds();
                int to = (round + 1) * requests.size() / settings.rounds();
                Round measured =
                        round(settings, floorWorker, cpu, run + "-" + round, requests.subList(from, to), STORM_GROUP);
                System.out.printf(
                        "round %d: JIT compiler, ms of CPU per request: the floor JVM's in the floor %.2f,"
                                + " the API's in the storm %.2f%n",
                        round,
                        compileNanos(measured.floorThreads())
                                / 1e6
                                / measured.floor().operations(),
                        compileNanos(measured.apiThreads()) / 1e6 / (to - from));
                measuredRounds.add(measured);
            }
            Counters delta = counters(http, settings).minus(before);
            Round total = measuredRounds.stream().reduce(Round.NONE, Round::plus);

            report(settings, total.outcomes(), total.stormWallNanos(), delta, total.floor());
            reportRounds(measuredRounds, callsPerAllocation(delta, total.outcomes()));
            reportCpu(
                    total.outcomes().size(),
                    total.stormCpu(),
                    total.floor().operations(),
                    total.floor().cpu());
            reportWaits(
                    total.outcomes().size(),
                    total.stormWaits(),
                    total.floor().operations(),
                    total.floor().waits());
            reportThreads(total.outcomes().size(), total.apiThreads());
            reportScheduling("API", total.outcomes().size(), total.apiScheduling());
            reportScheduling("floor JVM", total.floor().operations(), total.floorScheduling());
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
            Map<String, Long> floorThreads,
            List<Outcome> outcomes,
            long stormWallNanos,
            Map<String, Long> stormCpu,
            Map<String, Long> stormWaits,
            Map<String, Long> apiThreads,
            Map<String, Long> floorScheduling,
            Map<String, Long> apiScheduling) {
        static final Round NONE = new Round(
                new Floor(0, 0, 0, List.of(), Map.of(), Map.of()),
                Map.of(),
                List.of(),
                0,
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of());

        Round plus(Round other) {
            List<Outcome> all = new ArrayList<>(outcomes);
            all.addAll(other.outcomes());
            return new Round(
                    floor.plus(other.floor()),
                    ProcessCpu.plus(floorThreads, other.floorThreads()),
                    all,
                    stormWallNanos + other.stormWallNanos(),
                    ProcessCpu.plus(stormCpu, other.stormCpu()),
                    ProcessCpu.plus(stormWaits, other.stormWaits()),
                    ProcessCpu.plus(apiThreads, other.apiThreads()),
                    ProcessCpu.plus(floorScheduling, other.floorScheduling()),
                    ProcessCpu.plus(apiScheduling, other.apiScheduling()));
        }
    }

    private static Round round(
            Settings settings,
            FloorWorker.Handle floorWorker,
            ProcessCpu cpu,
            String name,
            List<String> stormRequests,
            String group)
            throws InterruptedException, IOException {
        awaitCompilersIdle(cpu);
        Map<String, Long> floorBefore = cpu.threadsOf(FloorWorker.Handle.PROCESS);
        Map<String, Long> floorSchedulingBefore = cpu.schedulingOf(FloorWorker.Handle.PROCESS);
        Floor floor = floor(floorWorker, name, settings.learners() / settings.rounds(), cpu);
        Map<String, Long> floorThreads = ProcessCpu.minus(cpu.threadsOf(FloorWorker.Handle.PROCESS), floorBefore);
        Map<String, Long> floorScheduling =
                ProcessCpu.minus(cpu.schedulingOf(FloorWorker.Handle.PROCESS), floorSchedulingBefore);
        awaitCompilersIdle(cpu);
        Map<String, Long> cpuBefore = cpu.now();
        Map<String, Long> waitsBefore = cpu.runQueueWait();
        Map<String, Long> apiBefore = cpu.threadsOf("api");
        Map<String, Long> apiSchedulingBefore = cpu.schedulingOf("api");
        List<Outcome> outcomes = new ArrayList<>();
        long wall = storm(settings, stormRequests, group, outcomes);
        return new Round(
                floor,
                floorThreads,
                outcomes,
                wall,
                ProcessCpu.minus(cpu.now(), cpuBefore),
                ProcessCpu.minus(cpu.runQueueWait(), waitsBefore),
                ProcessCpu.minus(cpu.threadsOf("api"), apiBefore),
                floorScheduling,
                ProcessCpu.minus(cpu.schedulingOf("api"), apiSchedulingBefore));
    }

    /** One chunk of a warm-up: {@code size} learners or operations after {@code sent}; answers the requests it sent. */
    @FunctionalInterface
    private interface WarmUpChunk {
        int run(int sent, int size) throws InterruptedException, IOException;
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
            throws InterruptedException, IOException {
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
            awaitCompilersIdle(cpu);
        }
        return new WarmUp(sent, byChunk.toString().trim());
    }

    /**
     * Waits (at most {@value #IDLE_WAIT_LIMIT_MS} ms) until none of the JIT compilers of the API,
     * the floor's JVM and this one took CPU in the last {@value #IDLE_WINDOW_MS} ms, so that each
     * phase pays for its own compiling and not for what the other phase queued (the API's compiler
     * took 0.78 ms of CPU per floor operation in a floor round after a storm round).
     */
    private static void awaitCompilersIdle(ProcessCpu cpu) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_LIMIT_MS);
        while (System.nanoTime() < deadline) {
            long before = allCompileNanos(cpu);
            Thread.sleep(IDLE_WINDOW_MS); // a window of time to measure over
            if (allCompileNanos(cpu) == before) {
                return;
            }
        }
    }

    private static long allCompileNanos(ProcessCpu cpu) {
        return compileNanos(cpu.threadsOf("api"))
                + compileNanos(cpu.threadsOf(FloorWorker.Handle.PROCESS))
                + compileNanos(cpu.threadsOf(ProcessCpu.CLIENT));
    }

    /** The floor worker's operations, with the CPU every process took while it ran them. */
    private static Floor floor(FloorWorker.Handle worker, String name, int operations, ProcessCpu cpu)
            throws IOException {
        Map<String, Long> cpuBefore = cpu.now();
        Map<String, Long> waitsBefore = cpu.runQueueWait();
        FloorWorker.Measured measured = worker.run(name, operations);
        return new Floor(
                operations,
                measured.calls(),
                measured.wallNanos(),
                measured.latencies(),
                ProcessCpu.minus(cpu.now(), cpuBefore),
                ProcessCpu.minus(cpu.runQueueWait(), waitsBefore));
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
    private static long storm(Settings settings, List<String> requests, String group, List<Outcome> into) {
        List<Outcome> outcomes = new ArrayList<>();
        long wall = SelectorClient.run(
                requests.size(),
                settings.concurrency(),
                i -> new SelectorClient.Request(
                        settings.urls().get(i % settings.urls().size()),
                        "/v1/allocate",
                        Map.of(
                                "Authorization",
                                "Bearer " + settings.labToken(),
                                "X-Instruqt-Sandbox-ID",
                                requests.get(i),
                                "X-Sandbox-Name-Prefix",
                                group)),
                (i, reply) -> outcomes.add(new Outcome(
                        requests.get(i), reply.status(), field(reply.body(), "sandbox_id"), reply.nanos())));
        into.addAll(outcomes);
        return wall;
    }

    private static void report(Settings settings, List<Outcome> outcomes, long wallNanos, Counters delta, Floor floor) {
        Map<Integer, Integer> byStatus = new HashMap<>();
        outcomes.forEach(o -> byStatus.merge(o.status(), 1, Integer::sum));
        long served = served(outcomes);
        List<Long> latencies = outcomes.stream().map(Outcome::nanos).sorted().toList();
        long calls = delta.sumStartingWith(DynamoCallCounter.CALLS + "{");
        long created = delta.get("broker_allocations{outcome=created}");
        long replayed = delta.get("broker_allocations{outcome=replayed}");
        double callsPerAllocation = callsPerAllocation(delta, outcomes);
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
        System.out.printf("failed DynamoDB attempts the SDK retried, by type: %s%n", failedAttempts(delta));
        System.out.printf(
                "  per new allocation: %.2f (%d), per replay: %.2f (%d)%n",
                ratio(delta.get("broker_allocation_dynamodb_calls_total{outcome=created}"), created),
                created,
                ratio(delta.get("broker_allocation_dynamodb_calls_total{outcome=replayed}"), replayed),
                replayed);
        System.out.printf(
                "items the candidate reads returned per allocation: %.2f (the floor's: 1, one read of %d per %d)%n",
                (double) delta.get(DynamoCallCounter.ITEMS_READ + "{operation=Query}") / Math.max(1, served),
                FloorWorker.CANDIDATE_BATCH,
                FloorWorker.CANDIDATE_BATCH);
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

    private static long served(List<Outcome> outcomes) {
        return outcomes.stream()
                .filter(o -> o.status() == 200 || o.status() == 201)
                .count();
    }

    private static double callsPerAllocation(Counters delta, List<Outcome> outcomes) {
        return (double) delta.sumStartingWith(DynamoCallCounter.CALLS + "{") / Math.max(1, served(outcomes));
    }

    /**
     * Efficiency round by round (with the run's calls per allocation), and their median: each round's
     * floor and storm run back to back, so a pause that lands in one phase only (a C2 compile, a
     * garbage collection in dynalite) moves that round's figure, and the median is robust to it.
     */
    private static void reportRounds(List<Round> rounds, double callsPerAllocation) {
        List<Double> efficiencies = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Round round : rounds) {
            double stormPerSecond = served(round.outcomes()) / (round.stormWallNanos() / 1e9);
            double floorPerSecond = round.floor().operations() / (round.floor().wallNanos() / 1e9);
            double efficiency =
                    stormPerSecond * callsPerAllocation / round.floor().callsPerSecond();
            efficiencies.add(efficiency);
            text.append(String.format(
                    "%n  %.0f/s against a floor of %.0f/s: %.2f", stormPerSecond, floorPerSecond, efficiency));
        }
        Collections.sort(efficiencies);
        int n = efficiencies.size();
        double median =
                n % 2 == 1 ? efficiencies.get(n / 2) : (efficiencies.get(n / 2 - 1) + efficiencies.get(n / 2)) / 2;
        System.out.printf("efficiency round by round (storm against the floor just before it):%s%n", text);
        System.out.printf("efficiency, median of the rounds: %.2f%n", median);
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

    /**
     * Time each process's threads spent runnable but without a core, per request: a request waits
     * whenever the thread that would serve it does (dynalite serves every call on one thread).
     */
    private static void reportWaits(
            int stormRequests, Map<String, Long> stormWaits, int floorOperations, Map<String, Long> floorWaits) {
        System.out.printf(
                "run-queue wait ms per request (threads runnable, no core free): storm %s; floor %s%n",
                perRequest(stormWaits, stormRequests), perRequest(floorWaits, floorOperations));
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

    /**
     * Per request, each of a process's busiest threads: how long it waited runnable for a core, and
     * how often it was put on one. A thread hand-off or a timer's wake-up is a run, and on a busy
     * machine a wait for a core that the request's latency may include.
     */
    private static void reportScheduling(String process, int requests, Map<String, Long> scheduling) {
        StringBuilder text = new StringBuilder();
        scheduling.entrySet().stream()
                .filter(e -> e.getKey().endsWith(" runs"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> {
                    String thread = e.getKey().substring(0, e.getKey().length() - " runs".length());
                    text.append(String.format(
                            "%s %.2f/%.2f, ",
                            thread,
                            scheduling.getOrDefault(thread + " wait", 0L) / 1e6 / requests,
                            e.getValue() / (double) requests));
                });
        System.out.printf("%s threads per request, ms waiting for a core / times run: %s%n", process, text);
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

    /** Throttled and failed attempts (stale connections show as io): each one more call to dynalite. */
    private static String failedAttempts(Counters delta) {
        return delta.nonZeroStartingWith(DynamoAttemptMetrics.ATTEMPT_ERRORS, DynamoAttemptMetrics.THROTTLES)
                .toString();
    }

    private static String byOperation(Counters delta) {
        String prefix = DynamoCallCounter.CALLS + "{operation=";
        Map<String, Long> ops = new TreeMap<>();
        delta.nonZeroStartingWith(prefix)
                .forEach((name, value) -> ops.put(name.substring(prefix.length(), name.length() - 1), value));
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

    static long runConcurrently(int count, int concurrency, IntConsumer task) throws InterruptedException {
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

    private static DynamoDbClient client(Settings settings) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(settings.ddbEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
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
