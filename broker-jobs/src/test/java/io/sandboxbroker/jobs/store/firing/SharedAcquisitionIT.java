package io.sandboxbroker.jobs.store.firing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStore;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.RecordingSignaler;
import io.sandboxbroker.jobs.store.TestJobs;
import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.Table;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.simpl.CascadingClassLoadHelper;
import org.quartz.spi.OperableTrigger;

/**
 * Two nodes draining the same due triggers each claim their own share first, so they do not race for one trigger;
 * a due trigger is acquired without a write, and its firing's advance decides which node fires it.
 */
class SharedAcquisitionIT {
    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    private static final int TRIGGERS = 40;
    private static final List<String> NODES = List.of("node-a", "node-b");

    private String table;
    private final List<DynamoJobStore> stores = new ArrayList<>();

    @BeforeEach
    void setUp() {
        table = DynamoTestSupport.freshTable(DYNAMO.client(), "shares");
        NodeItems nodes = new NodeItems(new Table(DYNAMO.client(), table));
        for (String node : NODES) {
            nodes.checkIn(node, System.currentTimeMillis(), 7_500, 4);
        }
    }

    @AfterEach
    void tearDown() {
        stores.forEach(DynamoJobStore::shutdown);
    }

    private DynamoJobStore store(String instanceId) throws Exception {
        DynamoJobStore store = new DynamoJobStore(DYNAMO.client(), DynamoJobStoreConfig.defaults(table));
        store.setInstanceId(instanceId);
        CascadingClassLoadHelper classes = new CascadingClassLoadHelper();
        classes.initialize();
        store.initialize(classes, new RecordingSignaler());
        stores.add(store);
        return store;
    }

    private static OperableTrigger oneShot(String name, JobDetail job, Date at) {
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity(name, "g")
                .forJob(job)
                .startAt(at)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule())
                .build();
        trigger.computeFirstFireTime(null);
        return trigger;
    }

    private static JobDetail durableJob() {
        return JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity("j", "g")
                .storeDurably()
                .build();
    }

    private String versionOf(TriggerKey key) {
        return new Table(DYNAMO.client(), table)
                .get(io.sandboxbroker.jobs.store.table.Keys.trigger(key))
                .map(item -> Table.str(item, io.sandboxbroker.jobs.store.table.Attr.VERSION))
                .orElse(null);
    }

    @Test
    void aDueTriggerTakenByTwoNodes_firesOnce_andTheLosersReleaseWritesNothing() throws Exception {
        DynamoJobStore a = store("node-a");
        DynamoJobStore b = store("node-b");
        JobDetail job = durableJob();
        Date at = new Date();
        a.storeJobAndTrigger(job, oneShot("t", job, at));
        TriggerKey key = new TriggerKey("t", "g");
        String stored = versionOf(key);

        List<OperableTrigger> ofA = a.acquireNextTriggers(at.getTime() + 1_000, 1, 0);
        List<OperableTrigger> ofB = b.acquireNextTriggers(at.getTime() + 1_000, 1, 0);
        assertThat(keys(ofA)).containsExactly(key);
        assertThat(keys(ofB)).containsExactly(key);
        assertThat(versionOf(key))
                .as("a due trigger is acquired without a write")
                .isEqualTo(stored);

        assertThat(a.triggersFired(ofA).get(0).getTriggerFiredBundle()).isNotNull();
        String advanced = versionOf(key);
        assertThat(b.triggersFired(ofB).get(0).getTriggerFiredBundle()).isNull();
        b.releaseAcquiredTrigger(ofB.get(0));

        assertThat(versionOf(key)).isEqualTo(advanced);
        assertThat(b.acquireNextTriggers(at.getTime() + 1_000, 1, 0)).isEmpty();
        assertThat(a.acquireNextTriggers(at.getTime() + 1_000, 1, 0)).isEmpty();
    }

    @Test
    void aDueTriggerReleasedUnfired_byACallersCopy_isAcquiredAgain() throws Exception {
        DynamoJobStore a = store("node-a");
        JobDetail job = durableJob();
        Date at = new Date();
        a.storeJobAndTrigger(job, oneShot("t", job, at));
        TriggerKey key = new TriggerKey("t", "g");

        assertThat(keys(a.acquireNextTriggers(at.getTime() + 1_000, 1, 0))).containsExactly(key);
        assertThat(a.acquireNextTriggers(at.getTime() + 1_000, 1, 0)).isEmpty();
        OperableTrigger callersCopy = a.retrieveTrigger(key);
        callersCopy.setFireInstanceId(null);
        a.releaseAcquiredTrigger(callersCopy);

        List<OperableTrigger> again = a.acquireNextTriggers(at.getTime() + 1_000, 1, 0);
        assertThat(keys(again)).containsExactly(key);
        assertThat(a.triggersFired(again).get(0).getTriggerFiredBundle()).isNotNull();
    }

    private static Set<TriggerKey> keys(List<OperableTrigger> triggers) {
        Set<TriggerKey> keys = new HashSet<>();
        triggers.forEach(t -> keys.add(t.getKey()));
        return keys;
    }

    @Test
    void eachNode_claimsItsOwnShareFirst_andTheOthersOnlyAfterItsOwnRanOut() throws Exception {
        DynamoJobStore a = store("node-a");
        DynamoJobStore b = store("node-b");
        JobDetail job = durableJob();
        a.storeJob(job, false);
        Date at = new Date();
        for (int i = 0; i < TRIGGERS; i++) {
            a.storeTrigger(oneShot("t-" + i, job, at), false);
        }
        NodeShares sharesOfA = new NodeShares(() -> NODES, "node-a", System::nanoTime);
        sharesOfA.refreshIfStale();
        Set<TriggerKey> shareOfA = new HashSet<>();
        for (int i = 0; i < TRIGGERS; i++) {
            TriggerKey key = new TriggerKey("t-" + i, "g");
            if (sharesOfA.mine(key)) {
                shareOfA.add(key);
            }
        }
        assertThat(shareOfA).isNotEmpty().hasSizeLessThan(TRIGGERS);
        long dueBy = at.getTime() + 1_000;

        Set<TriggerKey> firstOfA = keys(a.acquireNextTriggers(dueBy, 3, 1_000));
        Set<TriggerKey> firstOfB = keys(b.acquireNextTriggers(dueBy, 3, 1_000));

        assertThat(firstOfA).hasSize(3).isSubsetOf(shareOfA);
        assertThat(firstOfB).hasSize(3).doesNotContainAnyElementsOf(shareOfA);

        Set<TriggerKey> allOfA = new HashSet<>(firstOfA);
        while (!allOfA.containsAll(shareOfA)) {
            List<OperableTrigger> next = a.acquireNextTriggers(dueBy, 1, 1_000);
            assertThat(next).isNotEmpty();
            allOfA.addAll(keys(next));
        }
        assertThat(allOfA).as("all of its share before any other").isEqualTo(shareOfA);
        Set<TriggerKey> beyond = keys(a.acquireNextTriggers(dueBy, 3, 1_000));
        assertThat(beyond).hasSize(3).doesNotContainAnyElementsOf(shareOfA).doesNotContainAnyElementsOf(firstOfB);
    }
}
