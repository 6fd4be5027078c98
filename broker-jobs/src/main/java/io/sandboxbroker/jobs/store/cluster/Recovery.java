package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.firing.Blocking;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.FiredItems;
import io.sandboxbroker.jobs.store.table.FiredItems.FiredRecord;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.QuartzItems;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Recovers what a dead instance held: acquired triggers go back to WAITING, non-concurrency locks are
 * released (and the job's triggers unblocked), and each execution of a recovery-requesting job gets a
 * one-shot recovery trigger as in JobStoreSupport. Every step is idempotent, so a second survivor can
 * repeat a recovery the first one did not finish.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** Stores a trigger with the store's full semantics (paused groups, blocked jobs). */
    @FunctionalInterface
    public interface TriggerStorage {
        void store(OperableTrigger trigger) throws JobPersistenceException;
    }

    private final QuartzItems items;
    private final Blocking blocking;
    private final SchedulerSignaler signaler;
    private final TriggerStorage storage;

    public Recovery(QuartzItems items, Blocking blocking, SchedulerSignaler signaler, TriggerStorage storage) {
        this.items = items;
        this.blocking = blocking;
        this.signaler = signaler;
        this.storage = storage;
    }

    /** Returns how many items were recovered. */
    public int recover(String deadInstanceId) throws JobPersistenceException {
        List<Map<String, AttributeValue>> held = items.table().queryIndex(QuartzTable.OWNER_INDEX, Attr.OWNER, deadInstanceId, null, null);
        int recovered = 0;
        for (Map<String, AttributeValue> item : held) {
            String pk = Table.str(item, Attr.PK);
            if (pk.startsWith(Keys.TRIGGER + "#")) {
                recovered += releaseTrigger(item, deadInstanceId) ? 1 : 0;
            } else if (pk.startsWith(Keys.JOB + "#")) {
                recovered += unlockJob(item, deadInstanceId) ? 1 : 0;
            } else if (FiredItems.isFired(item)) {
                rerun(FiredItems.fromItem(item), deadInstanceId);
                recovered++;
            }
        }
        if (recovered > 0) {
            LOG.info("action=recover instance={} items={}", deadInstanceId, recovered);
            signaler.signalSchedulingChange(0L);
        }
        return recovered;
    }

    /**
     * On a clean shutdown, after the scheduler thread stopped: puts back what this instance acquired but
     * never fired. Returns whether the instance still holds anything (running jobs' locks or fired records).
     */
    public boolean releaseAcquired(String instanceId) throws JobPersistenceException {
        boolean stillHolding = false;
        for (Map<String, AttributeValue> item : items.table().queryIndex(QuartzTable.OWNER_INDEX, Attr.OWNER, instanceId, null, null)) {
            if (Table.str(item, Attr.PK).startsWith(Keys.TRIGGER + "#")) {
                releaseTrigger(item, instanceId);
            } else {
                stillHolding = true;
            }
        }
        return stillHolding;
    }

    private boolean releaseTrigger(Map<String, AttributeValue> item, String dead) throws JobPersistenceException {
        TriggerKey key = new TriggerKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
        return items.triggers().mutate(key, current -> current.state() == TriggerStatus.ACQUIRED && dead.equals(current.owner())
                ? current.next(TriggerStatus.WAITING) : null).isPresent();
    }

    private boolean unlockJob(Map<String, AttributeValue> item, String dead) throws JobPersistenceException {
        JobKey job = new JobKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
        boolean unlocked = items.jobs().unlockOwnedBy(job, dead);
        blocking.unblockAll(job);
        return unlocked;
    }

    private void rerun(FiredRecord fired, String dead) throws JobPersistenceException {
        Optional<StoredJob> job = items.jobs().get(fired.job());
        if (job.isPresent() && job.get().detail().requestsRecovery()) {
            storage.store(recoveryTrigger(fired, dead));
        }
        items.fired().delete(fired.fireId());
    }

    /** Named after the fired record, so repeating a recovery finds it already stored. */
    private OperableTrigger recoveryTrigger(FiredRecord fired, String dead) throws JobPersistenceException {
        SimpleTriggerImpl trigger = new SimpleTriggerImpl("recover_" + dead + "_" + fired.fireId(),
                Scheduler.DEFAULT_RECOVERY_GROUP, new Date(fired.scheduledAtMillis()));
        trigger.setJobKey(fired.job());
        trigger.setMisfireInstruction(SimpleTrigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY);
        trigger.setPriority(fired.priority());
        JobDataMap data = new JobDataMap();
        Optional<StoredTrigger> original = items.triggers().get(fired.trigger());
        original.ifPresent(t -> data.putAll(t.trigger().getJobDataMap()));
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME, fired.trigger().getName());
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP, fired.trigger().getGroup());
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_FIRETIME_IN_MILLISECONDS, String.valueOf(fired.firedAtMillis()));
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS, String.valueOf(fired.scheduledAtMillis()));
        trigger.setJobDataMap(data);
        trigger.computeFirstFireTime(null);
        return trigger;
    }
}
