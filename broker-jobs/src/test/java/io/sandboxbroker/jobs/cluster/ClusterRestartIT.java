package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/** Schedules survive a full restart of the cluster: new schedulers on the same table keep firing them. */
class ClusterRestartIT {
    private static final List<String> RUNS = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    /** Records trigger key, merged data and node. */
    public static final class DataJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            try {
                RUNS.add(context.getTrigger().getKey() + "|"
                        + context.getMergedJobDataMap().getString("job-data") + "|"
                        + context.getMergedJobDataMap().getString("trigger-data") + "|"
                        + context.getScheduler().getSchedulerInstanceId());
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void fullClusterRestart_schedulesKeepFiringWithSameKeysAndData() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "restart");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(500))
                .withIdleWaitTime(Duration.ofMillis(500));
        List<ClusteredScheduler> first = start(config, "first");
        JobDetail job = JobBuilder.newJob(DataJob.class)
                .withIdentity("survivor", "restart")
                .usingJobData("job-data", "J42")
                .build();
        first.get(0)
                .scheduler()
                .scheduleJob(
                        job,
                        TriggerBuilder.newTrigger()
                                .withIdentity("every-300ms", "restart")
                                .usingJobData("trigger-data", "T7")
                                .startNow()
                                .withSchedule(simpleSchedule()
                                        .withIntervalInMilliseconds(300)
                                        .repeatForever())
                                .build());
        await().atMost(Duration.ofSeconds(30)).until(() -> RUNS.size() >= 3);
        for (ClusteredScheduler node : first) {
            node.scheduler().shutdown(true);
        }
        int beforeRestart = RUNS.size();
        assertThat(first.get(0).store().nodes())
                .as("clean shutdown removes node records")
                .isEmpty();

        List<ClusteredScheduler> second = start(config, "second");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> RUNS.size() >= beforeRestart + 3);
            assertThat(second.get(0)
                            .scheduler()
                            .getTriggerKeys(org.quartz.impl.matchers.GroupMatcher.anyTriggerGroup()))
                    .containsExactly(new TriggerKey("every-300ms", "restart"));
            assertThat(RUNS).allMatch(run -> run.startsWith("restart.every-300ms|J42|T7|"));
            assertThat(RUNS.subList(beforeRestart, RUNS.size())).allMatch(run -> run.contains("|second-"));
        } finally {
            for (ClusteredScheduler node : second) {
                node.scheduler().shutdown(true);
            }
        }
    }

    private static List<ClusteredScheduler> start(DynamoJobStoreConfig config, String generation)
            throws SchedulerException {
        List<ClusteredScheduler> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ClusteredScheduler node = ClusteredSchedulerFactory.create(
                    DYNAMO.client(), config, "restart-" + generation + "-" + i, generation + "-" + i, 2, null);
            node.scheduler().start();
            nodes.add(node);
        }
        return nodes;
    }
}
