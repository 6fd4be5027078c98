package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.FaultyDynamoExtension;
import io.sandboxbroker.jobs.dropwizard.ManagedScheduler;
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
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What ECS's SIGTERM amounts to (Dropwizard stopping its managed objects), on DynamoDB's bad day: a node stopped
 * in the middle of an exclusive, recovery-requesting job lets the run finish, gives back what it holds, leaves
 * the cluster at once (no waiting for its failure timeout) and only then closes its DynamoDB client; the
 * survivor goes on, and re-runs nothing.
 */
class CleanShutdownIT {
    private static final String STOPPING = "stop-A";
    private static final String SURVIVOR = "stop-B";
    private static final List<String> RUNS = new CopyOnWriteArrayList<>();
    private static final CountDownLatch MID_JOB = new CountDownLatch(1);
    private static final CountDownLatch FINISH = new CountDownLatch(1);

    @RegisterExtension
    static final FaultyDynamoExtension DYNAMO = new FaultyDynamoExtension(5L);

    /** On the node to be stopped, the first run waits for the test: the node is stopped mid-job. */
    @DisallowConcurrentExecution
    public static final class CleanupJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            String node = node(context);
            RUNS.add("cleanup " + node + (context.isRecovering() ? " recovering" : ""));
            if (node.equals(STOPPING) && MID_JOB.getCount() > 0) {
                MID_JOB.countDown();
                awaitLatch(FINISH);
            }
        }
    }

    public static final class TickJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            RUNS.add("tick " + node(context));
        }
    }

    @Test
    void stoppedMidJob_theRunFinishes_theNodeLeavesAtOnceHoldingNothing_andTheSurvivorGoesOn() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "shutdown");
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(Duration.ofMillis(500))
                .withFailureMultiple(60)
                .withIdleWaitTime(Duration.ofMillis(300));
        DynamoDbClient stoppingClient = FaultyDynamoExtension.client(DYNAMO.proxy());
        ClusteredScheduler stopping =
                ClusteredSchedulerFactory.create(stoppingClient, config, STOPPING, STOPPING, 2, null);
        ClusteredScheduler survivor =
                ClusteredSchedulerFactory.create(DYNAMO.client(), config, SURVIVOR, SURVIVOR, 2, null);
        ManagedScheduler stoppingLifecycle = new ManagedScheduler(
                stopping.scheduler(), ManagedScheduler.Mode.RUN, Duration.ofSeconds(60), List.of(stoppingClient));
        try {
            JobDetail cleanup = JobBuilder.newJob(CleanupJob.class)
                    .withIdentity("cleanup", "shutdown")
                    .storeDurably()
                    .requestRecovery()
                    .build();
            JobDetail tick = JobBuilder.newJob(TickJob.class)
                    .withIdentity("tick", "shutdown")
                    .storeDurably()
                    .build();
            survivor.scheduler().addJob(cleanup, false);
            survivor.scheduler().addJob(tick, false);
            survivor.scheduler()
                    .scheduleJob(TriggerBuilder.newTrigger()
                            .withIdentity("cleanup", "shutdown")
                            .forJob(cleanup)
                            .startNow()
                            .withSchedule(simpleSchedule()
                                    .withIntervalInMilliseconds(200)
                                    .repeatForever())
                            .build());
            survivor.scheduler()
                    .scheduleJob(TriggerBuilder.newTrigger()
                            .withIdentity("tick", "shutdown")
                            .forJob(tick)
                            .startNow()
                            .withSchedule(simpleSchedule()
                                    .withIntervalInMilliseconds(200)
                                    .repeatForever())
                            .build());
            stoppingLifecycle.start();
            assertThat(MID_JOB.await(60, TimeUnit.SECONDS))
                    .as("a cleanup run on " + STOPPING)
                    .isTrue();
            survivor.scheduler().start();

            Thread sigterm = new Thread(
                    () -> {
                        try {
                            stoppingLifecycle.stop();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "sigterm");
            sigterm.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> stopping.scheduler().isInStandbyMode());
            FINISH.countDown();
            sigterm.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(sigterm.isAlive()).isFalse();

            // right after stop() returned: no waiting for a failure timeout (here 30 s)
            assertThat(heldBy(table, STOPPING)).isEmpty();
            assertThat(DYNAMO.direct()
                            .getItem(b -> b.tableName(table)
                                    .consistentRead(true)
                                    .key(Map.of(Attr.PK, AttributeValue.fromS("NODE#" + STOPPING))))
                            .hasItem())
                    .isFalse();
            assertThat(nodeRecords(table)).containsExactly("NODE#" + SURVIVOR);
            assertThatThrownBy(() -> stoppingClient.listTables())
                    .as("closed after the checkout, not before")
                    .isInstanceOf(RuntimeException.class);

            long ticks = survivorTicks();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> survivorTicks() >= ticks + 3 && RUNS.contains("cleanup " + SURVIVOR));
            assertThat(RUNS)
                    .filteredOn(run -> run.endsWith("recovering"))
                    .as("a finished run is not re-run")
                    .isEmpty();
            System.out.println("CleanShutdownIT " + DYNAMO.proxy());
        } finally {
            FINISH.countDown();
            survivor.scheduler().shutdown(true);
            if (!stopping.scheduler().isShutdown()) {
                stopping.scheduler().shutdown(false);
            }
        }
    }

    private static List<String> nodeRecords(String table) {
        return DYNAMO.direct().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .map(item -> item.get(Attr.PK).s())
                .filter(pk -> pk.startsWith("NODE#"))
                .toList();
    }

    private static long survivorTicks() {
        return RUNS.stream().filter(run -> run.equals("tick " + SURVIVOR)).count();
    }

    private static List<String> heldBy(String table, String instanceId) {
        return DYNAMO.direct().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(item ->
                        item.containsKey(Attr.OWNER) && item.get(Attr.OWNER).s().equals(instanceId))
                .map(item -> item.get(Attr.PK).s())
                .toList();
    }

    private static String node(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
