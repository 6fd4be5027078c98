package io.sandboxbroker.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerKey;
import org.quartz.impl.calendar.HolidayCalendar;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.simpl.CascadingClassLoadHelper;
import org.quartz.spi.JobStore;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

/** The contract against the DynamoDB store on dynalite; one table per case. */
class DynamoJobStoreContractIT extends JobStoreContract {
    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    private String table;

    @Override
    protected JobStore newStore() {
        table = DynamoTestSupport.freshTable(DYNAMO.client(), "contract");
        return storeOn(table, "contract-node");
    }

    private static DynamoJobStore storeOn(String table, String instanceId) {
        DynamoJobStore store = new DynamoJobStore(
                DYNAMO.client(),
                DynamoJobStoreConfig.defaults(table).withMisfireThreshold(Duration.ofMillis(MISFIRE_THRESHOLD)));
        store.setInstanceId(instanceId);
        return store;
    }

    /**
     * Differs from RAMJobStore on purpose: release is by key only for this node's own acquisitions. In a cluster a
     * caller's copy of a trigger another node acquired meanwhile must not put it back, or it would fire twice.
     */
    @Test
    void releaseAcquiredTrigger_neverReleasesAnotherNodesAcquisition() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));
        TriggerKey key = new TriggerKey("t", "g");
        DynamoJobStore other = storeOn(table, "other-node");
        CascadingClassLoadHelper classes = new CascadingClassLoadHelper();
        classes.initialize();
        other.initialize(classes, new RecordingSignaler());
        try {
            assertThat(other.acquireNextTriggers(now() + 5_000, 1, 0))
                    .extracting(OperableTrigger::getKey)
                    .containsExactly(key);

            OperableTrigger callersCopy = store.retrieveTrigger(key);
            callersCopy.setFireInstanceId(null);
            store.releaseAcquiredTrigger(callersCopy);

            assertThat(acquire(now() + 5_000, 1, 0)).isEmpty();
            assertThat(store.getTriggerState(key)).isEqualTo(TriggerState.NORMAL);
        } finally {
            other.shutdown();
        }
    }

    /**
     * Beyond Quartz's stores (JobStoreSupport keeps its fired-trigger records): what running firings hold goes too, and
     * their completion writes nothing back.
     */
    @Test
    void clearAllSchedulingData_leavesNothingInTheTable_notEvenWhatARunningFiringHolds() throws Exception {
        JobDetail job = JobBuilder.newJob(TestJobs.NonConcurrentJob.class)
                .withIdentity("nc", "g")
                .storeDurably()
                .requestRecovery()
                .build();
        long start = now() + 200;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start));
        store.storeTrigger(trigger("t2", "g", job, start + 3_600_000), false);
        store.storeCalendar("c", new HolidayCalendar(), false, false);
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("p"));
        store.pauseJobs(GroupMatcher.jobGroupEquals("pj"));
        TriggerFiredBundle running = store.triggersFired(store.acquireNextTriggers(start + 1_000, 1, 0))
                .get(0)
                .getTriggerFiredBundle();
        assertThat(itemKeys()).anyMatch(pk -> pk.startsWith("FIRED#"));

        store.clearAllSchedulingData();
        assertThat(itemKeys()).isEmpty();

        store.triggeredJobComplete(running.getTrigger(), running.getJobDetail(), CompletedExecutionInstruction.NOOP);
        assertThat(itemKeys()).as("the run's completion writes nothing back").isEmpty();
        assertThat(acquire(now() + 7_200_000, 5, 0)).isEmpty();
    }

    private List<String> itemKeys() {
        return DYNAMO.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .map(item -> item.get("pk").s())
                .toList();
    }
}
