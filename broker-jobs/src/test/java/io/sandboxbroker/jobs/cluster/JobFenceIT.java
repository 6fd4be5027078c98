package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.JobFence;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.table.Attr;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A running job sees, through {@link JobFence}, the moment its lock is no longer its own (as after a recovery by another node). */
class JobFenceIT {
    private static final List<Boolean> HELD = new CopyOnWriteArrayList<>();
    private static final List<String> LOST = new CopyOnWriteArrayList<>();
    private static final CountDownLatch CHECKED_ONCE = new CountDownLatch(1);
    private static final CountDownLatch LOCK_TAKEN_AWAY = new CountDownLatch(1);
    private static final CountDownLatch DONE = new CountDownLatch(1);

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    @DisallowConcurrentExecution
    public static final class CleanupJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            try {
                HELD.add(JobFence.holds(context));
                CHECKED_ONCE.countDown();
                LOCK_TAKEN_AWAY.await(30, TimeUnit.SECONDS);
                HELD.add(JobFence.holds(context));
                JobFence.ensureHeld(context);
            } catch (JobFence.FiringLostException e) {
                LOST.add(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                DONE.countDown();
            }
        }
    }

    @Test
    void aRunningJobLearnsThatItsLockIsNoLongerItsOwn() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "fence");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(500))
                .withIdleWaitTime(Duration.ofMillis(300));
        ClusteredScheduler node =
                ClusteredSchedulerFactory.create(DYNAMO.client(), config, "fence", "fence-1", 1, null);
        try {
            JobKey cleanup = new JobKey("cleanup", "fence");
            node.scheduler()
                    .addJob(
                            JobBuilder.newJob(CleanupJob.class)
                                    .withIdentity(cleanup)
                                    .storeDurably()
                                    .build(),
                            false);
            node.scheduler().start();
            node.scheduler().triggerJob(cleanup);
            assertThat(CHECKED_ONCE.await(30, TimeUnit.SECONDS)).isTrue();

            // what a survivor's recovery of this node does to the lock
            DYNAMO.client()
                    .updateItem(b -> b.tableName(table)
                            .key(Map.of(Attr.PK, AttributeValue.fromS("JOB#fence#cleanup")))
                            .updateExpression("REMOVE " + Attr.RUNNING + ", " + Attr.OWNER));
            LOCK_TAKEN_AWAY.countDown();
            assertThat(DONE.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(HELD).containsExactly(true, false);
            assertThat(LOST).singleElement().asString().contains("fence.cleanup");
        } finally {
            node.scheduler().shutdown(true);
        }
    }
}
