package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.FaultyDynamoExtension;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.TestJobs;
import io.sandboxbroker.jobs.store.TestJobs.RecordingJob;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.JobKey;
import org.quartz.TriggerBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * ECS stops a jobs task with SIGTERM on every deploy, and Quartz's halt interrupts the scheduler thread, possibly
 * while a firing's advance is on the wire. If DynamoDB applied it, the trigger has moved on: the job must still run,
 * or that scheduled run (an enqueued one-shot: the only one) is lost.
 */
class StopMidFiringIT {
    @RegisterExtension
    static final DynaliteExtension DYNALITE = new DynaliteExtension();

    @Test
    void aStopThatInterruptsAnAppliedAdvance_stillRunsTheJob() throws Exception {
        RecordingJob.RUNS.clear();
        try (FaultProxy proxy = FaultProxy.start(
                        DYNALITE.dynalite().endpoint(),
                        5L,
                        // the advance (the firing's only put) is applied, then its answer takes a while (within the
                        // attempt timeout, whose own interrupt the SDK would recognise): the stop's interrupt arrives
                        // while the SDK waits for it
                        Fault.appliedThenStall(FaultyDynamoExtension.ATTEMPT_TIMEOUT.dividedBy(2))
                                .on("PutItem")
                                .times(1)
                                .named("advance-stalled"));
                DynamoDbClient client = FaultyDynamoExtension.client(proxy);
                DynamoDbClient direct = DynamoTestSupport.client(DYNALITE.dynalite())) {
            proxy.disable("advance-stalled");
            String table = DynamoTestSupport.freshTable(client, "stop-mid-firing");
            DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                    .withCheckinInterval(Duration.ofMillis(500))
                    .withIdleWaitTime(Duration.ofMillis(300));
            ClusteredScheduler api = ClusteredSchedulerFactory.create(direct, config, "stop-api", "stop-api", 1, null);
            ClusteredScheduler jobs =
                    ClusteredSchedulerFactory.create(client, config, "stop-jobs", "stop-jobs", 1, null);
            try {
                JobKey job = new JobKey("run-now", "stop");
                TestJobs.storeDurably(api.scheduler(), RecordingJob.class, job);
                jobs.scheduler().start();
                proxy.enable("advance-stalled");
                // An enqueued run (as triggerJob makes one), already due when the node finds it: so the node's only
                // put is the firing's advance. One due a moment later, as triggerJob's own start time can be to a
                // node that began its acquisition just before, is claimed with a put of its own first, which the
                // fault would hit instead.
                api.scheduler()
                        .scheduleJob(TriggerBuilder.newTrigger()
                                .withIdentity("enqueued", "stop")
                                .forJob(job)
                                .startAt(new Date(System.currentTimeMillis() - 1_000L))
                                .build());

                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.injected("advance-stalled") == 1);
                jobs.scheduler().shutdown(true);

                assertThat(RecordingJob.RUNS)
                        .as("the enqueued run, whose advance DynamoDB applied")
                        .hasSize(1);
                assertThat(triggers(direct, table))
                        .as("the finished one-shot trigger is gone")
                        .isEmpty();
            } finally {
                jobs.scheduler().shutdown(false);
                api.scheduler().shutdown(false);
            }
        }
    }

    private static List<String> triggers(DynamoDbClient direct, String table) {
        return direct.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .map(item -> item.get(Attr.PK).s())
                .filter(pk -> pk.startsWith("TRG#"))
                .toList();
    }
}
