package io.sandboxbroker.jobs.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.health.HealthCheck.Result;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;

/** An API process (standby) enqueues a one-off run that a jobs process (running) executes; health follows check-ins. */
class ManagedSchedulerIT {
    private static final AtomicInteger RUNS = new AtomicInteger();

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    public static final class SyncNowJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            RUNS.incrementAndGet();
        }
    }

    @Test
    void standbyApiProcess_enqueuesOneOffRun_thatTheJobsProcessExecutes_andHealthReportsCheckins() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "managed");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(300))
                .withIdleWaitTime(Duration.ofMillis(300));
        ClusteredScheduler jobs =
                ClusteredSchedulerFactory.create(DYNAMO.client(), config, "managed-jobs", "jobs-1", 2, null);
        ClusteredScheduler api =
                ClusteredSchedulerFactory.create(DYNAMO.client(), config, "managed-api", "api-1", 1, null);
        ManagedScheduler jobsLifecycle =
                new ManagedScheduler(jobs.scheduler(), ManagedScheduler.Mode.RUN, Duration.ofSeconds(10));
        ManagedScheduler apiLifecycle =
                new ManagedScheduler(api.scheduler(), ManagedScheduler.Mode.STANDBY, Duration.ofSeconds(10));
        SchedulerHealthCheck jobsHealth = new SchedulerHealthCheck(jobs.scheduler(), jobs.store(), Clock.systemUTC());
        SchedulerHealthCheck apiHealth = new SchedulerHealthCheck(api.scheduler(), api.store(), Clock.systemUTC());
        jobsLifecycle.start();
        apiLifecycle.start();
        try {
            JobKey sync = new JobKey("sync-now", "managed");
            api.scheduler()
                    .addJob(
                            JobBuilder.newJob(SyncNowJob.class)
                                    .withIdentity(sync)
                                    .storeDurably()
                                    .build(),
                            false);
            api.scheduler().triggerJob(sync);

            await().atMost(Duration.ofSeconds(20)).until(() -> RUNS.get() == 1);
            assertThat(api.scheduler().isInStandbyMode()).isTrue();
            assertThat(jobsHealth.execute().isHealthy()).isTrue();
            assertThat(jobsHealth.execute().getDetails())
                    .containsKeys("checkinAgeMs", "lastCheckin")
                    .containsEntry("state", "started");
            assertThat(apiHealth.execute().isHealthy()).isTrue();
            Clock muchLater = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10));
            assertThat(new SchedulerHealthCheck(jobs.scheduler(), jobs.store(), muchLater)
                            .execute()
                            .isHealthy())
                    .isFalse();
        } finally {
            apiLifecycle.stop();
            jobsLifecycle.stop();
        }
        Result afterStop = jobsHealth.execute();
        assertThat(afterStop.isHealthy()).isFalse();
        assertThat(jobs.scheduler().isShutdown()).isTrue();
    }
}
