package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.firing.Blocking;
import io.sandboxbroker.jobs.store.firing.Holdings;
import io.sandboxbroker.jobs.store.scheduling.Storing;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.FiredItems;
import io.sandboxbroker.jobs.store.table.FiredItems.FiredRecord;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.QuartzItems;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
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
 * Recovers what an instance that is gone held: acquired triggers go back to WAITING, non-concurrency locks are
 * released (and the job's triggers unblocked), and each execution of a recovery-requesting job gets a one-shot
 * recovery trigger as in JobStoreSupport. The {@code byOwner} index only finds candidates; each is re-read
 * consistently before anything is written, and every step is idempotent, so a second survivor can repeat a
 * recovery the first one did not finish, and the periodic {@link #sweep sweep} catches what the lagging index
 * did not show yet when the owner was recovered.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final QuartzItems items;
    private final Blocking blocking;
    private final SchedulerSignaler signaler;
    private final Storing storing;

    public Recovery(QuartzItems items, Blocking blocking, SchedulerSignaler signaler, Storing storing) {
        this.items = items;
        this.blocking = blocking;
        this.signaler = signaler;
        this.storing = storing;
    }

    /** Recovers everything the index shows held by {@code deadInstanceId}; returns how many items were recovered. */
    public int recover(String deadInstanceId) throws JobPersistenceException {
        List<Map<String, AttributeValue>> held =
                items.table().queryIndex(QuartzTable.OWNER_INDEX, Attr.OWNER, deadInstanceId, null, null);
        int recovered = 0;
        for (Map<String, AttributeValue> item : held) {
            recovered += recoverItem(item, deadInstanceId, fireId -> true) ? 1 : 0;
        }
        if (recovered > 0) {
            LOG.info("action=recover instance={} items={}", deadInstanceId, recovered);
            signaler.signalSchedulingChange(0L);
        }
        return recovered;
    }

    /**
     * The periodic safety net, from the sparse {@code byOwner} index: items held by an instance that has no node
     * record (recovered or checked out while the index still lagged), and items held by this instance under a fire
     * id it does not know (an earlier life of the same instance id). Returns how many items were recovered.
     */
    public int sweep(String self, Holdings holdings) throws JobPersistenceException {
        Map<String, Boolean> ownerGone = new HashMap<>();
        int recovered = 0;
        for (Map<String, AttributeValue> item : items.table().scanIndex(QuartzTable.OWNER_INDEX)) {
            String owner = Table.str(item, Attr.OWNER);
            if (owner == null) {
                continue;
            }
            if (owner.equals(self)) {
                recovered += recoverItem(item, self, fireId -> !holdings.knows(fireId)) ? 1 : 0;
            } else if (ownerGone.computeIfAbsent(
                    owner, o -> items.nodes().get(o).isEmpty())) {
                recovered += recoverItem(item, owner, fireId -> true) ? 1 : 0;
            }
        }
        if (recovered > 0) {
            LOG.info("action=sweep_held instance={} items={}", self, recovered);
            signaler.signalSchedulingChange(0L);
        }
        return recovered;
    }

    /**
     * Unblocks triggers left BLOCKED while their job runs nowhere (the releaser of the lock failed to unblock, or
     * died first). The index finds candidates; the job's lock is read consistently.
     */
    public int unblockStranded() throws JobPersistenceException {
        int unblocked = 0;
        Map<String, Boolean> running = new HashMap<>();
        for (Map<String, AttributeValue> item :
                items.table().queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.TRIGGER, null, null)) {
            String state = Table.str(item, Attr.STATE);
            if (!TriggerStatus.BLOCKED.name().equals(state)
                    && !TriggerStatus.PAUSED_BLOCKED.name().equals(state)) {
                continue;
            }
            String jobPk = Table.str(item, Attr.JOB_KEY);
            boolean jobRuns = running.computeIfAbsent(
                    jobPk,
                    pk -> items.table()
                            .get(pk)
                            .map(job -> job.containsKey(Attr.RUNNING))
                            .orElse(false));
            if (!jobRuns) {
                TriggerKey key = new TriggerKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
                blocking.unblock(key);
                unblocked++;
            }
        }
        return unblocked;
    }

    /** Recovers one held item if, read consistently, {@code owner} still holds it under an orphaned fire id. */
    private boolean recoverItem(Map<String, AttributeValue> item, String owner, Predicate<String> orphaned)
            throws JobPersistenceException {
        String pk = Table.str(item, Attr.PK);
        if (pk.startsWith(Keys.TRIGGER + "#")) {
            return releaseTrigger(item, owner, orphaned);
        } else if (pk.startsWith(Keys.JOB + "#")) {
            return unlockJob(item, owner, orphaned);
        } else if (FiredItems.isFired(item)) {
            return rerun(FiredItems.fromItem(item), owner, orphaned);
        }
        return false;
    }

    private boolean releaseTrigger(Map<String, AttributeValue> item, String owner, Predicate<String> orphaned)
            throws JobPersistenceException {
        TriggerKey key = new TriggerKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
        return items.triggers()
                .mutate(
                        key,
                        current -> current.state() == TriggerStatus.ACQUIRED
                                        && owner.equals(current.owner())
                                        && orphaned.test(current.fireId())
                                ? current.next(TriggerStatus.WAITING)
                                : null)
                .isPresent();
    }

    private boolean unlockJob(Map<String, AttributeValue> item, String owner, Predicate<String> orphaned)
            throws JobPersistenceException {
        JobKey job = new JobKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
        Optional<StoredJob> current = items.jobs().get(job);
        if (current.isEmpty()
                || !owner.equals(current.get().owner())
                || !current.get().running()
                || !orphaned.test(current.get().runningFireId())) {
            return false;
        }
        boolean unlocked = items.jobs().unlock(job, current.get().runningFireId());
        blocking.unblockAll(job);
        return unlocked;
    }

    private boolean rerun(FiredRecord fired, String owner, Predicate<String> orphaned) throws JobPersistenceException {
        if (!owner.equals(fired.owner())
                || !orphaned.test(fired.fireId())
                || items.table().get(Keys.fired(fired.fireId())).isEmpty()) {
            return false;
        }
        Optional<StoredJob> job = items.jobs().get(fired.job());
        if (job.isPresent() && job.get().detail().requestsRecovery() && !neverStarted(fired)) {
            storing.storeRecoveryTrigger(recoveryTrigger(fired, owner));
        }
        items.fired().delete(fired.fireId());
        return true;
    }

    /**
     * The fired record is written just before the trigger advances; an owner that died in between never ran the
     * job, and its trigger, released, still fires that scheduled time itself. A re-run as well would run it twice.
     */
    private boolean neverStarted(FiredRecord fired) throws JobPersistenceException {
        Optional<StoredTrigger> trigger = items.triggers().get(fired.trigger());
        if (trigger.isEmpty() || fired.fireId().equals(trigger.get().firedBy())) {
            return false;
        }
        Date next = trigger.get().trigger().getNextFireTime();
        return next != null && next.getTime() == fired.scheduledAtMillis();
    }

    /** Named after the fired record, so repeating a recovery finds it already stored. */
    private OperableTrigger recoveryTrigger(FiredRecord fired, String dead) throws JobPersistenceException {
        SimpleTriggerImpl trigger = new SimpleTriggerImpl(
                "recover_" + dead + "_" + fired.fireId(),
                Scheduler.DEFAULT_RECOVERY_GROUP,
                new Date(fired.scheduledAtMillis()));
        trigger.setJobKey(fired.job());
        trigger.setMisfireInstruction(SimpleTrigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY);
        trigger.setPriority(fired.priority());
        JobDataMap data = new JobDataMap();
        Optional<StoredTrigger> original = items.triggers().get(fired.trigger());
        original.ifPresent(t -> data.putAll(t.trigger().getJobDataMap()));
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME, fired.trigger().getName());
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP, fired.trigger().getGroup());
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_FIRETIME_IN_MILLISECONDS, String.valueOf(fired.firedAtMillis()));
        data.put(
                Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS,
                String.valueOf(fired.scheduledAtMillis()));
        trigger.setJobDataMap(data);
        trigger.computeFirstFireTime(null);
        return trigger;
    }
}
