package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.FaultyDynamoExtension;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.testkit.Dynalite;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Enqueues from an API (standby) process, as the broker's "run now" does, against writes applied then failed
 * and an index that lags far behind: a retried enqueue stores one trigger and runs once, and an enqueue while
 * the job runs is executed once, right after the run, without waiting for the index.
 */
class RetriedWritesIT {
    private static final List<String> RUNS = new CopyOnWriteArrayList<>();
    private static final CountDownLatch FIRST_RUN_STARTED = new CountDownLatch(1);
    private static final CountDownLatch FINISH_FIRST_RUN = new CountDownLatch(1);
    private static Dynalite dynalite;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        dynalite.close();
    }

    /** Runs exclusively; the first run waits for the test. */
    @DisallowConcurrentExecution
    public static final class SyncNowJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            RUNS.add(context.getTrigger().getKey().toString());
            if (RUNS.size() == 1) {
                FIRST_RUN_STARTED.countDown();
                try {
                    FINISH_FIRST_RUN.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static List<String> triggers(DynamoDbClient direct, String table) {
        return direct.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .map(item -> item.get(Attr.PK).s())
                .filter(pk -> pk.startsWith("TRG#"))
                .toList();
    }

    @Test
    void aRetriedEnqueueRunsOnce_andAnEnqueueDuringTheRunRunsRightAfterIt_whatever_theIndexShows() throws Exception {
        // the enqueue's put is applied and then answered 500, so the SDK retries it; the indexes that list a job's
        // triggers see the table as it was 30 s ago, far longer than this test waits for anything
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        3L,
                        Fault.appliedThen500().on("PutItem").times(1).named("enqueue-applied-then-500"),
                        Fault.indexLag(Duration.ofSeconds(30), Duration.ofSeconds(30))
                                .index("byJob"),
                        Fault.indexLag(Duration.ofSeconds(30), Duration.ofSeconds(30))
                                .index("byType"));
                DynamoDbClient client = FaultyDynamoExtension.client(proxy);
                DynamoDbClient direct = DynamoTestSupport.client(dynalite)) {
            proxy.disable("enqueue-applied-then-500");
            String table = DynamoTestSupport.freshTable(client, "retried");
            DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                    .withCheckinInterval(Duration.ofMillis(500))
                    .withIdleWaitTime(Duration.ofMillis(300));
            ClusteredScheduler api =
                    ClusteredSchedulerFactory.create(client, config, "retried-api", "retried-api", 1, null);
            ClusteredScheduler jobs =
                    ClusteredSchedulerFactory.create(client, config, "retried-jobs", "retried-jobs", 2, null);
            try {
                JobKey sync = new JobKey("sync-now", "retried");
                api.scheduler()
                        .addJob(
                                JobBuilder.newJob(SyncNowJob.class)
                                        .withIdentity(sync)
                                        .storeDurably()
                                        .build(),
                                false);

                proxy.enable("enqueue-applied-then-500");
                api.scheduler().triggerJob(sync);
                assertThat(proxy.injected("enqueue-applied-then-500")).isEqualTo(1);
                assertThat(triggers(direct, table))
                        .as("one enqueue, one trigger, though its put was retried")
                        .hasSize(1);
                jobs.scheduler().start();
                assertThat(FIRST_RUN_STARTED.await(30, TimeUnit.SECONDS)).isTrue();

                api.scheduler().triggerJob(sync);
                FINISH_FIRST_RUN.countDown();

                await().atMost(Duration.ofSeconds(15)).until(() -> RUNS.size() == 2);
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> RUNS.size() == 2);
                assertThat(RUNS).doesNotHaveDuplicates();
                System.out.println("RetriedWritesIT " + proxy);
            } finally {
                jobs.scheduler().shutdown(true);
                api.scheduler().shutdown(false);
            }
        }
    }
}
