package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.cluster.ClusterNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;

/**
 * Two nodes whose wall clocks differ by 40 s (one +20 s, one −20 s), with a failure timeout of 1.2 s: liveness
 * is watched on each node's own monotonic clock, so neither recovers the other while both run, and a
 * {@code @DisallowConcurrentExecution} job never runs twice at once.
 */
class ClockSkewIT {
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final List<String> OVERLAPS = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> RUNS_BY_NODE = new ConcurrentHashMap<>();

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    @DisallowConcurrentExecution
    public static final class ExclusiveJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws org.quartz.JobExecutionException {
            if (RUNNING.incrementAndGet() > 1) {
                OVERLAPS.add(context.getFireInstanceId());
            }
            try {
                RUNS_BY_NODE
                        .computeIfAbsent(context.getScheduler().getSchedulerInstanceId(), n -> new AtomicInteger())
                        .incrementAndGet();
                Thread.sleep(50);
            } catch (SchedulerException | InterruptedException e) {
                throw new org.quartz.JobExecutionException(e);
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @Test
    void nodesTwentySecondsAheadAndBehind_neitherRecoversTheOther_norRunsAnExclusiveJobTwiceAtOnce() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "skew");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(300))
                .withFailureMultiple(4)
                .withIdleWaitTime(Duration.ofMillis(300));
        ClusteredScheduler ahead = ClusteredSchedulerFactory.create(
                DYNAMO.client(),
                config,
                "skew-ahead",
                "skew-ahead",
                2,
                null,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20)));
        ClusteredScheduler behind = ClusteredSchedulerFactory.create(
                DYNAMO.client(),
                config,
                "skew-behind",
                "skew-behind",
                2,
                null,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-20)));
        try {
            JobDetail job = JobBuilder.newJob(ExclusiveJob.class)
                    .withIdentity("exclusive", "skew")
                    .storeDurably()
                    .build();
            ahead.scheduler().addJob(job, false);
            for (int t = 0; t < 3; t++) {
                ahead.scheduler()
                        .scheduleJob(TriggerBuilder.newTrigger()
                                .withIdentity("every-100ms-" + t, "skew")
                                .forJob(job)
                                .startNow()
                                .withSchedule(simpleSchedule()
                                        .withIntervalInMilliseconds(100)
                                        .repeatForever())
                                .build());
            }
            ahead.scheduler().start();
            behind.scheduler().start();

            // eight seconds: more than six failure timeouts, in which a wall-clock comparison would see a 40 s gap
            await().during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(12))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> OVERLAPS.isEmpty() && neitherRecovered(ahead, behind));

            assertThat(ahead.store().recoveredWhileAlive()).isZero();
            assertThat(behind.store().recoveredWhileAlive()).isZero();
            assertThat(ahead.store().nodes())
                    .extracting(ClusterNode::instanceId, ClusterNode::alive)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("skew-ahead", true),
                            org.assertj.core.groups.Tuple.tuple("skew-behind", true));
            assertThat(RUNS_BY_NODE.values().stream()
                            .mapToInt(AtomicInteger::get)
                            .sum())
                    .as("runs %s", RUNS_BY_NODE)
                    .isGreaterThan(10);
            assertThat(OVERLAPS).isEmpty();
        } finally {
            ahead.scheduler().shutdown(true);
            behind.scheduler().shutdown(true);
        }
    }

    private static boolean neitherRecovered(ClusteredScheduler... nodes) {
        return nodes[0].store().nodes().stream().allMatch(node -> node.recoveredBy() == null)
                && java.util.Arrays.stream(nodes).allMatch(node -> node.store().recoveredWhileAlive() == 0);
    }
}
