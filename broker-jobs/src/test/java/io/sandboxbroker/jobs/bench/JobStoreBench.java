package io.sandboxbroker.jobs.bench;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.testkit.Dynalite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Not a test: {@code scripts/bench-jobstore.sh} runs it. A 2-node cluster runs 1,000 short one-shot jobs,
 * once on the DynamoDB store (dynalite) and once on Quartz's clustered JobStoreTX (PostgreSQL); prints
 * firings per second for both, their ratio, and DynamoDB calls per firing; then a scaling row of the DynamoDB
 * store with 1, 2 and 4 nodes. Argument: the PostgreSQL JDBC URL.
 */
public final class JobStoreBench {
    static final int JOBS = 1_000;
    static final int THREADS = 4;
    static volatile CountDownLatch done;

    public static final class ShortJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            done.countDown();
        }
    }

    /**
     * Counts every DynamoDB API call the client makes, by phase: the store class on the calling stack decides
     * (acquire, fire, complete, check-in; misfire handling counts as acquire), and a due-index query that found
     * nothing counts as idle polling.
     */
    static final class CallCounter implements ExecutionInterceptor {
        static final List<String> PHASES = List.of("acquire", "fire", "complete", "idle", "check-in", "other");
        private static final ExecutionAttribute<String> PHASE = new ExecutionAttribute<>("bench.phase");
        private static final StackWalker STACK = StackWalker.getInstance();
        final AtomicLong calls = new AtomicLong();
        final Map<String, AtomicLong> byPhase = new ConcurrentHashMap<>();
        /** Whole run, scheduling included: which operations each phase makes. */
        final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
            attributes.putAttribute(
                    PHASE,
                    STACK.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                            .map(CallCounter::phaseOf)
                            .filter(Objects::nonNull)
                            .findFirst()
                            .orElse("other")));
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String phase = attributes.getAttribute(PHASE);
            if (context.response() instanceof QueryResponse query && query.count() == 0 && "acquire".equals(phase)) {
                phase = "idle";
            }
            count(phase, context.request());
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            count(attributes.getAttribute(PHASE), context.request());
        }

        private void count(String phase, Object request) {
            String name = phase == null ? "other" : phase;
            byPhase.computeIfAbsent(name, p -> new AtomicLong()).incrementAndGet();
            byOperation
                    .computeIfAbsent(
                            name + " " + request.getClass().getSimpleName().replace("Request", ""),
                            p -> new AtomicLong())
                    .incrementAndGet();
        }

        private static String phaseOf(String className) {
            String simple = className.substring(className.lastIndexOf('.') + 1);
            return switch (simple) {
                case "IdleShards" -> "idle";
                case "Acquisition", "Misfires" -> "acquire";
                case "Firing" -> "fire";
                case "Completion" -> "complete";
                case "CheckIn", "Recovery", "Release", "ClusterNodes" -> "check-in";
                default -> null;
            };
        }

        Map<String, Long> snapshot() {
            Map<String, Long> copy = new LinkedHashMap<>();
            PHASES.forEach(
                    p -> copy.put(p, byPhase.getOrDefault(p, new AtomicLong()).get()));
            return copy;
        }
    }

    record Result(String store, double firingsPerSecond, double seconds) {}

    /** A run on the DynamoDB store: its result, the calls it made and their split by phase. */
    record DynamoRun(Result result, long calls, Map<String, Long> phases) {
        double callsPerFiring() {
            return (double) calls / JOBS;
        }
    }

    private JobStoreBench() {}

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        CallCounter counter = new CallCounter();
        DynamoRun twoNodes;
        Map<Integer, DynamoRun> scaling = new LinkedHashMap<>();
        Map<String, Long> twoNodesByOperation = new java.util.TreeMap<>();
        try (Dynalite dynalite = Dynalite.start();
                DynamoDbClient client = DynamoTestSupport.client(dynalite.endpoint(), counter)) {
            // unmeasured: the first run in a JVM pays its warm-up (class loading, JIT); the JDBC store gets one too
            dynamoRun(client, counter, 2);
            counter.byOperation.clear();
            twoNodes = dynamoRun(client, counter, 2);
            counter.byOperation.forEach((operation, count) -> twoNodesByOperation.put(operation, count.get()));
            // the scaling row: same dynalite, a fresh table and fresh nodes per run
            for (int nodes : new int[] {1, 4}) {
                scaling.put(nodes, dynamoRun(client, counter, nodes));
            }
            scaling.put(2, twoNodes);
        }
        Result dynamo = twoNodes.result();
        long dynamoCalls = twoNodes.calls();
        Map<String, Long> phaseCalls = twoNodes.phases();
        run(
                "JobStoreTX (PostgreSQL), warm-up",
                List.of(jdbcNode(jdbcUrl, "warm", 1), jdbcNode(jdbcUrl, "warm", 2)),
                () -> {});
        Result jdbc =
                run("JobStoreTX (PostgreSQL)", List.of(jdbcNode(jdbcUrl, "", 1), jdbcNode(jdbcUrl, "", 2)), () -> {});

        System.out.printf("%n%-26s %12s %10s%n", "store", "firings/s", "seconds");
        for (Result r : List.of(dynamo, jdbc)) {
            System.out.printf("%-26s %12.1f %10.2f%n", r.store(), r.firingsPerSecond(), r.seconds());
        }
        System.out.printf(
                "DynamoDB calls per firing: %.2f (%d calls for %d firings, scheduling excluded)%n",
                (double) dynamoCalls / JOBS, dynamoCalls, JOBS);
        StringBuilder split = new StringBuilder("  by phase:");
        phaseCalls.forEach((phase, calls) -> split.append(String.format(" %s %.2f", phase, (double) calls / JOBS)));
        System.out.println(split);
        System.out.println("  by operation (whole 2-node DynamoDB run, scheduling included): " + twoNodesByOperation);
        System.out.printf("ratio DynamoDB/JDBC firings/s: %.2f%n", dynamo.firingsPerSecond() / jdbc.firingsPerSecond());
        StringBuilder row = new StringBuilder("scaling, DynamoDB store (nodes: firings/s, calls/firing):");
        for (int nodes : new int[] {1, 2, 4}) {
            DynamoRun run = scaling.get(nodes);
            row.append(String.format(" %d: %.1f, %.2f;", nodes, run.result().firingsPerSecond(), run.callsPerFiring()));
        }
        System.out.println(row);
    }

    /** {@code nodeCount} schedulers of {@link #THREADS} threads each on a fresh table drain the 1,000 triggers. */
    private static DynamoRun dynamoRun(DynamoDbClient client, CallCounter counter, int nodeCount) throws Exception {
        String table = DynamoTestSupport.freshTable(client, "bench");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table).withIdleWaitTime(Duration.ofSeconds(1));
        List<Scheduler> nodes = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(ClusteredSchedulerFactory.create(
                            client, config, "bench-dynamo-" + nodeCount + "-" + i, "dynamo-node-" + i, THREADS, null)
                    .scheduler());
        }
        long[] callsAtStart = new long[1];
        List<Map<String, Long>> phasesAtStart = new ArrayList<>();
        Result result = run("DynamoDB (dynalite)", nodes, () -> {
            callsAtStart[0] = counter.calls.get();
            phasesAtStart.add(counter.snapshot());
        });
        long calls = counter.calls.get() - callsAtStart[0];
        Map<String, Long> phases = counter.snapshot();
        phases.replaceAll((phase, count) -> count - phasesAtStart.get(0).get(phase));
        return new DynamoRun(result, calls, phases);
    }

    /** Schedules every trigger due now while the nodes are in standby, then starts them and times the drain. */
    private static Result run(String name, List<Scheduler> nodes, Runnable onFiringStart) throws Exception {
        Scheduler enqueuer = nodes.get(0);
        enqueuer.clear();
        JobDetail job = JobBuilder.newJob(ShortJob.class)
                .withIdentity("short", "bench")
                .storeDurably()
                .build();
        enqueuer.addJob(job, true);
        Date now = new Date();
        for (int i = 0; i < JOBS; i++) {
            // one-shot triggers fire even if scheduling outlasts the misfire threshold (SMART = fire now)
            enqueuer.scheduleJob(TriggerBuilder.newTrigger()
                    .withIdentity("t-" + i, "bench")
                    .forJob(job)
                    .startAt(now)
                    .build());
        }
        done = new CountDownLatch(JOBS);
        onFiringStart.run();
        long start = System.nanoTime();
        for (Scheduler node : nodes) {
            node.start();
        }
        return measure(name, nodes, start);
    }

    private static Result measure(String name, List<Scheduler> nodes, long start) throws Exception {
        if (!done.await(15, TimeUnit.MINUTES)) {
            throw new IllegalStateException(name + ": only " + (JOBS - done.getCount()) + " of " + JOBS + " jobs ran");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Scheduler node : nodes) {
            node.shutdown(true);
        }
        return new Result(name, JOBS / seconds, seconds);
    }

    private static Scheduler jdbcNode(String jdbcUrl, String run, int node) throws Exception {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "bench-jdbc");
        p.setProperty("org.quartz.scheduler.instanceId", "jdbc-node-" + node);
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        // one pool per node: Quartz registers data sources JVM-wide by name, and shutting one node down closes its pool
        String ds = "pg" + run + node;
        p.setProperty("org.quartz.jobStore.dataSource", ds);
        p.setProperty("org.quartz.dataSource." + ds + ".provider", "hikaricp");
        p.setProperty("org.quartz.dataSource." + ds + ".driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource." + ds + ".URL", jdbcUrl);
        p.setProperty("org.quartz.dataSource." + ds + ".user", "postgres");
        p.setProperty("org.quartz.dataSource." + ds + ".password", "");
        p.setProperty("org.quartz.dataSource." + ds + ".maxConnections", Integer.toString(THREADS + 3));
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        // both nodes share the cluster's scheduler name, which Quartz's JVM-wide repository allows only once
        SchedulerRepository.getInstance().remove("bench-jdbc");
        return scheduler;
    }
}
