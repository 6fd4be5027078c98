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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/** Three schedulers in one JVM on one table: every firing runs exactly once, and all nodes work. */
class ClusterExactlyOnceIT {
    private static final int TRIGGERS = 200;
    private static final int FIRINGS_PER_TRIGGER = 4;
    private static final Map<String, String> RUNS = new ConcurrentHashMap<>();
    private static final List<String> DUPLICATES = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    /** Records (trigger, scheduled fire time) once; a second run of the same firing is a duplicate. */
    public static final class RecordingJob implements Job {
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

    @Test
    void threeNodes_twoHundredRepeatingTriggers_everyFiringRunsExactlyOnce_onAllNodes() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "exactly-once");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(500))
                .withIdleWaitTime(Duration.ofMillis(500))
                .withMisfireThreshold(Duration.ofMinutes(5));
        List<ClusteredScheduler> nodes = new ArrayList<>();
        for (String id : List.of("A", "B", "C")) {
            nodes.add(ClusteredSchedulerFactory.create(
                    DYNAMO.client(), config, "exactly-once-" + id, "node-" + id, 4, null));
        }
        try {
            long start = System.currentTimeMillis() + 3_000;
            for (int j = 0; j < TRIGGERS / 10; j++) {
                JobDetail job = JobBuilder.newJob(RecordingJob.class)
                        .withIdentity("job-" + j, "exactly-once")
                        .storeDurably()
                        .build();
                nodes.get(0).scheduler().addJob(job, false);
                for (int t = 0; t < 10; t++) {
                    Trigger trigger = TriggerBuilder.newTrigger()
                            .withIdentity("trigger-" + j + "-" + t, "exactly-once")
                            .forJob(job)
                            .startAt(new Date(start + (j * 10L + t) * 10))
                            .withSchedule(simpleSchedule()
                                    .withIntervalInMilliseconds(1_500)
                                    .withRepeatCount(FIRINGS_PER_TRIGGER - 1))
                            .build();
                    nodes.get(0).scheduler().scheduleJob(trigger);
                }
            }
            for (ClusteredScheduler node : nodes) {
                node.scheduler().start();
            }

            int expected = TRIGGERS * FIRINGS_PER_TRIGGER;
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> RUNS.size() >= expected);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> RUNS.size() == expected);

            assertThat(DUPLICATES).isEmpty();
            Map<String, Long> perNode =
                    RUNS.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perNode).as("firings per node %s", perNode).containsOnlyKeys("node-A", "node-B", "node-C");
            assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThan(expected / 20L));
            assertThat(nodes.get(0).store().nodes())
                    .extracting(ClusterNode::instanceId)
                    .containsExactly("node-A", "node-B", "node-C");
            assertThat(nodes.get(0).store().nodes()).allMatch(ClusterNode::alive);
        } finally {
            for (ClusteredScheduler node : nodes) {
                node.scheduler().shutdown(true);
            }
        }
    }
}
