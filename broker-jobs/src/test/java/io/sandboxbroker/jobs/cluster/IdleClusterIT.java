package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.TestJobs;
import io.sandboxbroker.jobs.store.TestJobs.RecordingJob;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A cluster with nothing due costs one read per idle wait and node (the wake counter), not a query per shard; and
 * a trigger another process stores or resumes meanwhile still fires at once, not when the nodes next query anyway.
 */
class IdleClusterIT {
    @RegisterExtension
    static final DynaliteExtension DYNALITE = new DynaliteExtension();

    /** Counts the due-index queries and the wake reads the nodes' client makes. */
    static final class IdleCalls implements ExecutionInterceptor {
        final AtomicLong dueQueries = new AtomicLong();
        final AtomicLong wakeReads = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof QueryRequest query && QuartzTable.DUE_INDEX.equals(query.indexName())) {
                dueQueries.incrementAndGet();
            }
            if (context.request() instanceof GetItemRequest get
                    && Keys.WAKE.equals(get.key().values().iterator().next().s())) {
                wakeReads.incrementAndGet();
            }
        }
    }

    @Test
    void anIdleClusterReadsOnlyTheWakeCounter_andAnotherProcessesTriggerStillFiresAtOnce() throws Exception {
        RecordingJob.RUNS.clear();
        IdleCalls calls = new IdleCalls();
        try (DynamoDbClient nodesClient =
                        DynamoTestSupport.client(DYNALITE.dynalite().endpoint(), calls);
                DynamoDbClient apiClient = DynamoTestSupport.client(DYNALITE.dynalite())) {
            String table = DynamoTestSupport.freshTable(apiClient, "idle");
            Duration idleWait = Duration.ofMillis(200);
            DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                    .withCheckinInterval(Duration.ofSeconds(1))
                    .withIdleWaitTime(idleWait);
            ClusteredScheduler api =
                    ClusteredSchedulerFactory.create(apiClient, config, "idle-api", "idle-api", 1, null);
            List<ClusteredScheduler> nodes = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                nodes.add(
                        ClusteredSchedulerFactory.create(nodesClient, config, "idle-" + i, "idle-node-" + i, 2, null));
            }
            try {
                JobKey job = new JobKey("idle-job", "idle");
                TestJobs.storeDurably(api.scheduler(), RecordingJob.class, job);
                // something due, but not for an hour
                api.scheduler()
                        .scheduleJob(TriggerBuilder.newTrigger()
                                .withIdentity("hourly", "idle")
                                .forJob(job)
                                .startAt(new Date(System.currentTimeMillis() + 3_600_000L))
                                .withSchedule(SimpleScheduleBuilder.repeatHourlyForever())
                                .build());
                for (ClusteredScheduler node : nodes) {
                    node.scheduler().start();
                }

                // settled: the nodes read the wake counter and no longer query the due index
                await().atMost(Duration.ofSeconds(40)).until(() -> quietFor(calls, idleWait.multipliedBy(5)));
                long queriesBefore = calls.dueQueries.get();
                long readsBefore = calls.wakeReads.get();
                long idleWaits = 10;
                Thread.sleep(idleWait.multipliedBy(idleWaits).toMillis()); // measuring a span of time, not waiting
                long queries = calls.dueQueries.get() - queriesBefore;
                long reads = calls.wakeReads.get() - readsBefore;
                System.out.printf(
                        "IdleClusterIT: over %d idle waits of 2 nodes (%d shards): %d due-index queries, %d wake reads%n",
                        idleWaits, DynamoJobStoreConfig.defaults(table).shards(), queries, reads);
                assertThat(queries).as("due-index queries while idle").isZero();
                assertThat(reads).as("one wake read per idle wait and node").isPositive();

                // another process enqueues a run: the nodes wake at once (not at their next full query, a minute on)
                api.scheduler().triggerJob(job);
                await().atMost(Duration.ofSeconds(10)).until(() -> RecordingJob.RUNS.size() == 1);

                // and a paused trigger resumed by another process fires as soon as it is due
                api.scheduler()
                        .scheduleJob(TriggerBuilder.newTrigger()
                                .withIdentity("resumed", "paused-group")
                                .forJob(job)
                                .startAt(new Date(System.currentTimeMillis() + 1_000L))
                                .build());
                api.scheduler().pauseTriggers(GroupMatcher.triggerGroupEquals("paused-group"));
                await().atMost(Duration.ofSeconds(40)).until(() -> quietFor(calls, idleWait.multipliedBy(5)));
                api.scheduler().resumeTriggers(GroupMatcher.triggerGroupEquals("paused-group"));
                await().atMost(Duration.ofSeconds(10)).until(() -> RecordingJob.RUNS.contains("resumed"));
                // the run is recorded inside the job; its trigger is removed when the run completes, just after
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(
                                () -> assertThat(api.scheduler().getTrigger(new TriggerKey("resumed", "paused-group")))
                                        .as("the one-shot trigger ran to its end")
                                        .isNull());
            } finally {
                for (ClusteredScheduler node : nodes) {
                    node.scheduler().shutdown(true);
                }
                api.scheduler().shutdown(false);
            }
        }
    }

    /** No due-index query for a while, though the nodes keep polling (they read the wake counter). */
    private static boolean quietFor(IdleCalls calls, Duration span) throws InterruptedException {
        long queries = calls.dueQueries.get();
        long reads = calls.wakeReads.get();
        Thread.sleep(span.toMillis());
        return calls.dueQueries.get() == queries && calls.wakeReads.get() > reads;
    }
}
