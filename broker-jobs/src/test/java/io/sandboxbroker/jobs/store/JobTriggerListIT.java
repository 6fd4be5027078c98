package io.sandboxbroker.jobs.store;

import static io.sandboxbroker.jobs.store.JobStoreContract.job;
import static io.sandboxbroker.jobs.store.JobStoreContract.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.Keys;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.simpl.CascadingClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A job's trigger list ({@code trigs}) is a superset: a finished trigger of a durable job stays listed, so every
 * reader verifies the listed triggers on the base table, and registration prunes the list once it reaches its cap.
 * Also: a batch of firings reads its jobs once.
 */
class JobTriggerListIT {
    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    /** Counts the client's calls by operation (e.g. "BatchGetItem"). */
    static final class Calls implements ExecutionInterceptor {
        final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = context.request().getClass().getSimpleName().replace("Request", "");
            byOperation.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
        }

        long of(String operation) {
            return byOperation.getOrDefault(operation, new AtomicLong()).get();
        }
    }

    private final Calls calls = new Calls();
    private DynamoDbClient client;
    private String table;
    private DynamoJobStore store;
    private RecordingSignaler signaler;

    @BeforeEach
    void setUp() throws Exception {
        client = DynamoTestSupport.client(DYNAMO.dynalite().endpoint(), calls);
        table = DynamoTestSupport.freshTable(client, "trigs");
        store = new DynamoJobStore(client, DynamoJobStoreConfig.defaults(table));
        store.setInstanceId("trigs-node");
        CascadingClassLoadHelper classes = new CascadingClassLoadHelper();
        classes.initialize();
        signaler = new RecordingSignaler();
        store.initialize(classes, signaler);
    }

    @AfterEach
    void tearDown() {
        store.shutdown();
        client.close();
    }

    private static OperableTrigger oneShot(String name, JobDetail job, long at) {
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity(name, "g")
                .forJob(job)
                .startAt(new Date(at))
                .withSchedule(simpleSchedule())
                .build();
        trigger.computeFirstFireTime(null);
        return trigger;
    }

    private List<String> listed(JobKey job) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                        .key(Map.of(Attr.PK, AttributeValue.fromS(Keys.job(job))))
                        .consistentRead(true))
                .item();
        AttributeValue list = item.get(Attr.TRIGGERS);
        return list == null ? List.of() : list.ss();
    }

    private List<TriggerKey> triggersOf(JobKey job) throws Exception {
        return store.getTriggersForJob(job).stream().map(Trigger::getKey).toList();
    }

    /** Acquires, fires and completes (DELETE_TRIGGER) the one due trigger, as the scheduler does. */
    private void runToTheEnd(long dueBy) throws Exception {
        List<OperableTrigger> acquired = store.acquireNextTriggers(dueBy, 1, 0);
        assertThat(acquired).hasSize(1);
        TriggerFiredBundle bundle = store.triggersFired(acquired).get(0).getTriggerFiredBundle();
        assertThat(bundle.getNextFireTime()).isNull();
        store.triggeredJobComplete(
                bundle.getTrigger(), bundle.getJobDetail(), CompletedExecutionInstruction.DELETE_TRIGGER);
    }

    @Test
    void finishedTriggerOfADurableJob_staysListed_butIsNoTriggerOfIt_norIsAKeyReStoredForAnotherJob() throws Exception {
        JobDetail job = job("j", "g");
        JobDetail other = job("k", "g");
        store.storeJob(other, false);
        store.storeJobAndTrigger(job, oneShot("done", job, now()));
        store.storeTrigger(oneShot("later", job, now() + 3_600_000), false);

        runToTheEnd(now() + 1_000);

        TriggerKey done = new TriggerKey("done", "g");
        assertThat(store.checkExists(done)).isFalse();
        assertThat(listed(job.getKey())).contains(Keys.trigger(done));
        assertThat(triggersOf(job.getKey())).containsExactly(new TriggerKey("later", "g"));

        store.storeTrigger(oneShot("done", other, now() + 3_600_000), false);

        assertThat(triggersOf(job.getKey())).containsExactly(new TriggerKey("later", "g"));
        assertThat(triggersOf(other.getKey())).containsExactly(done);
    }

    @Test
    void nonDurableJob_whoseListHoldsFinishedTriggers_goesWithItsLastLiveTrigger() throws Exception {
        JobDetail durable = job("j", "g");
        store.storeJobAndTrigger(durable, oneShot("done", durable, now()));
        store.storeTrigger(oneShot("last", durable, now() + 3_600_000), false);
        runToTheEnd(now() + 1_000);
        JobDetail nonDurable =
                JobBuilder.newJob(TestJobs.NoOpJob.class).withIdentity("j", "g").build();
        store.storeJob(nonDurable, true);
        assertThat(listed(durable.getKey())).contains(Keys.trigger(new TriggerKey("done", "g")));

        assertThat(store.removeTrigger(new TriggerKey("last", "g"))).isTrue();

        assertThat(store.checkExists(durable.getKey())).isFalse();
        assertThat(signaler.jobsDeleted).containsExactly(durable.getKey());
    }

    @Test
    void registration_prunesTriggersThatLeftTheJob_onceTheListReachesItsCap() throws Exception {
        JobDetail job = job("j", "g");
        JobDetail other = job("k", "g");
        store.storeJob(other, false);
        store.storeJobAndTrigger(job, oneShot("keep", job, now() + 3_600_000));
        int moved = 80;
        for (int i = 0; i < moved; i++) {
            store.storeTrigger(oneShot("t" + i, job, now() + 3_600_000), false);
            // the same key re-stored for another job: still listed on the first one until pruned
            store.storeTrigger(oneShot("t" + i, other, now() + 3_600_000), true);
        }

        assertThat(listed(job.getKey())).contains(Keys.trigger(new TriggerKey("keep", "g")));
        assertThat(listed(job.getKey()).size()).isLessThan(64);
        assertThat(triggersOf(job.getKey())).containsExactly(new TriggerKey("keep", "g"));
        assertThat(triggersOf(other.getKey())).hasSize(moved);
    }

    @Test
    void registration_beyondTheCap_keepsEveryLiveTrigger_andDoublesTheCap() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        int live = 70;
        for (int i = 0; i < live; i++) {
            store.storeTrigger(oneShot("t" + i, job, now() + 3_600_000), false);
        }

        assertThat(listed(job.getKey())).hasSize(live);
        assertThat(triggersOf(job.getKey())).hasSize(live);
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                        .key(Map.of(Attr.PK, AttributeValue.fromS(Keys.job(job.getKey()))))
                        .consistentRead(true))
                .item();
        assertThat(item.get(Attr.TRIGGER_CAP).n()).isEqualTo("128");
    }

    @Test
    void completionOfADurableJobsTrigger_isOneDelete_leavingTheJobItemAlone() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, oneShot("t", job, now()));
        List<OperableTrigger> acquired = store.acquireNextTriggers(now() + 1_000, 1, 0);
        TriggerFiredBundle bundle = store.triggersFired(acquired).get(0).getTriggerFiredBundle();
        calls.byOperation.clear();

        store.triggeredJobComplete(
                bundle.getTrigger(), bundle.getJobDetail(), CompletedExecutionInstruction.DELETE_TRIGGER);

        assertThat(calls.byOperation.keySet()).containsExactly("DeleteItem");
        assertThat(calls.of("DeleteItem")).isEqualTo(1);
        assertThat(store.checkExists(new TriggerKey("t", "g"))).isFalse();
        assertThat(store.checkExists(job.getKey())).isTrue();
    }

    @Test
    void triggersFired_readsTheJobsOfItsBatchOnce_andEachTriggerGetsItsOwnJob() throws Exception {
        JobDetail a = job("a", "g");
        JobDetail b = job("b", "g");
        long at = now();
        store.storeJobAndTrigger(a, oneShot("a1", a, at));
        store.storeTrigger(oneShot("a2", a, at), false);
        store.storeJobAndTrigger(b, oneShot("b1", b, at));
        store.storeTrigger(oneShot("b2", b, at), false);
        List<OperableTrigger> acquired = store.acquireNextTriggers(at + 1_000, 4, 1_000);
        assertThat(acquired).hasSize(4);
        calls.byOperation.clear();

        List<TriggerFiredResult> fired = store.triggersFired(acquired);

        assertThat(calls.of("BatchGetItem")).isEqualTo(1);
        assertThat(calls.of("GetItem")).isZero();
        assertThat(calls.of("PutItem")).isEqualTo(4);
        for (int i = 0; i < acquired.size(); i++) {
            assertThat(fired.get(i).getException()).isNull();
            TriggerFiredBundle bundle = fired.get(i).getTriggerFiredBundle();
            assertThat(bundle.getJobDetail().getKey())
                    .isEqualTo(acquired.get(i).getJobKey())
                    .isEqualTo(bundle.getTrigger().getJobKey());
            assertThat(bundle.getJobDetail().getJobDataMap().getString("origin"))
                    .isEqualTo(bundle.getJobDetail().getKey().getName());
        }
    }

    @Test
    void triggersFired_ofABatchWhoseJobVanished_firesTheOthers_andPutsItsTriggerInError() throws Exception {
        JobDetail a = job("a", "g");
        JobDetail b = job("b", "g");
        long at = now();
        store.storeJobAndTrigger(a, oneShot("a1", a, at));
        store.storeJobAndTrigger(b, oneShot("b1", b, at));
        List<OperableTrigger> acquired = store.acquireNextTriggers(at + 1_000, 2, 1_000);
        assertThat(acquired).hasSize(2);
        // the job alone, as another process's removal racing with this firing might leave it
        client.deleteItem(d -> d.tableName(table).key(Map.of(Attr.PK, AttributeValue.fromS(Keys.job(b.getKey())))));

        List<TriggerFiredResult> fired = store.triggersFired(acquired);

        for (int i = 0; i < acquired.size(); i++) {
            TriggerFiredBundle bundle = fired.get(i).getTriggerFiredBundle();
            if (acquired.get(i).getJobKey().equals(a.getKey())) {
                assertThat(bundle).isNotNull();
            } else {
                assertThat(bundle).isNull();
                assertThat(store.getTriggerState(acquired.get(i).getKey())).isEqualTo(Trigger.TriggerState.ERROR);
            }
        }
    }
}
