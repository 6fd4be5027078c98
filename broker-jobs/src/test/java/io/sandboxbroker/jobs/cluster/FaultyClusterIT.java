package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.FaultyDynamoExtension;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.table.Attr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ClusterExactlyOnceIT} on DynamoDB's bad day: three schedulers, 200 repeating triggers (half on
 * {@code @DisallowConcurrentExecution} jobs), writes applied then failed, lagging indexes, throttling.
 * Every (trigger, scheduled time) runs exactly once, a non-concurrent job never overlaps itself, and
 * afterwards nothing is acquired, blocked or locked.
 */
class FaultyClusterIT {
    /** 10 exclusive jobs with 2 triggers each, 18 plain jobs with 10 each: 200 triggers. */
    private static final int EXCLUSIVE_JOBS = 10;

    private static final int EXCLUSIVE_TRIGGERS = 2;
    private static final int PLAIN_JOBS = 18;
    private static final int PLAIN_TRIGGERS = 10;
    private static final int TRIGGERS = EXCLUSIVE_JOBS * EXCLUSIVE_TRIGGERS + PLAIN_JOBS * PLAIN_TRIGGERS;
    private static final int FIRINGS_PER_TRIGGER = 3;
    private static final long INTERVAL_MS = 2_000;
    private static final Map<String, String> RUNS = new ConcurrentHashMap<>();
    private static final List<String> DUPLICATES = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
    private static final List<String> OVERLAPS = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FaultyDynamoExtension DYNAMO = new FaultyDynamoExtension(11L);

    public static class RecordingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            String firing = context.getTrigger().getKey() + "@"
                    + context.getScheduledFireTime().getTime();
            String node;
            try {
                node = context.getScheduler().getSchedulerInstanceId();
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
            if (RUNS.putIfAbsent(firing, node) != null) {
                DUPLICATES.add(firing + " on " + node + " and " + RUNS.get(firing));
            }
        }
    }

    /** Records overlaps: two runs of one job at once anywhere in the cluster. */
    @DisallowConcurrentExecution
    public static final class ExclusiveRecordingJob extends RecordingJob {
        @Override
        public void execute(JobExecutionContext context) {
            String job = context.getJobDetail().getKey().toString();
            if (RUNNING.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet() > 1) {
                OVERLAPS.add(job);
            }
            try {
                super.execute(context);
            } finally {
                RUNNING.get(job).decrementAndGet();
            }
        }
    }

    @Test
    void threeNodes_twoHundredTriggers_underAppliedThenFailedWritesLaggingIndexesAndThrottling() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "faulty");
        // failure timeout well above a check-in's worst case under these faults (throttled retries, a stalled attempt)
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofSeconds(1))
                .withFailureMultiple(8)
                .withIdleWaitTime(Duration.ofMillis(500))
                .withMisfireThreshold(Duration.ofMinutes(5));
        List<ClusteredScheduler> nodes = new ArrayList<>();
        for (String id : List.of("A", "B", "C")) {
            nodes.add(
                    ClusteredSchedulerFactory.create(DYNAMO.client(), config, "faulty-" + id, "faulty-" + id, 4, null));
        }
        long started = System.nanoTime();
        Set<String> expected = new TreeSet<>();
        try {
            long start = System.currentTimeMillis() + 5_000;
            int offset = 0;
            for (int j = 0; j < EXCLUSIVE_JOBS + PLAIN_JOBS; j++) {
                boolean exclusive = j < EXCLUSIVE_JOBS;
                Class<? extends Job> type = exclusive ? ExclusiveRecordingJob.class : RecordingJob.class;
                JobDetail job = JobBuilder.newJob(type)
                        .withIdentity("job-" + j, "faulty")
                        .storeDurably()
                        .build();
                nodes.get(0).scheduler().addJob(job, false);
                for (int t = 0; t < (exclusive ? EXCLUSIVE_TRIGGERS : PLAIN_TRIGGERS); t++) {
                    long first = start + (offset++) * 10L;
                    Trigger trigger = TriggerBuilder.newTrigger()
                            .withIdentity("trigger-" + j + "-" + t, "faulty")
                            .forJob(job)
                            .startAt(new Date(first))
                            .withSchedule(simpleSchedule()
                                    .withIntervalInMilliseconds(INTERVAL_MS)
                                    .withRepeatCount(FIRINGS_PER_TRIGGER - 1))
                            .build();
                    nodes.get(0).scheduler().scheduleJob(trigger);
                    for (int k = 0; k < FIRINGS_PER_TRIGGER; k++) {
                        expected.add(trigger.getKey() + "@" + (first + k * INTERVAL_MS));
                    }
                }
            }
            for (ClusteredScheduler node : nodes) {
                node.scheduler().start();
            }

            assertThat(expected).hasSize(TRIGGERS * FIRINGS_PER_TRIGGER);
            try {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> RUNS.keySet().containsAll(expected));
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> held(table).isEmpty());
            } finally {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(RUNS.keySet());
                System.out.printf(
                        "FaultyClusterIT: %d of %d firings in %d ms, missing %s, held %s; %s%n",
                        RUNS.size(),
                        expected.size(),
                        (System.nanoTime() - started) / 1_000_000,
                        missing,
                        held(table),
                        DYNAMO.proxy());
                System.out.println("FaultyClusterIT: requests by operation "
                        + DYNAMO.proxy().operations());
            }

            assertThat(DUPLICATES).isEmpty();
            assertThat(OVERLAPS).isEmpty();
            assertThat(RUNS.keySet()).isEqualTo(expected);
            Map<String, Long> perNode =
                    RUNS.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perNode).as("firings per node %s", perNode).containsOnlyKeys("faulty-A", "faulty-B", "faulty-C");
            assertThat(DYNAMO.proxy().counts())
                    .allSatisfy((rule, count) -> assertThat(count).as(rule).isPositive());
        } finally {
            for (ClusteredScheduler node : nodes) {
                node.scheduler().shutdown(true);
            }
        }
    }

    /** Triggers ACQUIRED or BLOCKED, jobs locked, fired records: read from dynalite itself, not through the proxy. */
    private static List<String> held(String table) {
        return DYNAMO.direct().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(FaultyClusterIT::isHeld)
                .map(item -> item.get(Attr.PK).s() + " "
                        + item.getOrDefault(Attr.STATE, AttributeValue.fromS("-"))
                                .s())
                .toList();
    }

    static boolean isHeld(Map<String, AttributeValue> item) {
        String pk = item.get(Attr.PK).s();
        String state = item.containsKey(Attr.STATE) ? item.get(Attr.STATE).s() : "";
        return (pk.startsWith("TRG#") && (state.equals("ACQUIRED") || state.contains("BLOCKED")))
                || (pk.startsWith("JOB#") && item.containsKey(Attr.RUNNING))
                || pk.startsWith("FIRED#");
    }
}
