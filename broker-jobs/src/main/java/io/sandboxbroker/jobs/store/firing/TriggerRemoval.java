package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import java.util.Optional;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;

/**
 * The store's removal rules: a removed trigger leaves its job's trigger list (except a finished trigger of a durable
 * job, see {@link #removeFinished}), and a non-durable job goes with its last trigger (as Quartz's stores do), decided
 * on the base table only.
 */
public final class TriggerRemoval {
    private final TriggerItems triggers;
    private final JobItems jobs;
    private final SchedulerSignaler signaler;

    public TriggerRemoval(TriggerItems triggers, JobItems jobs, SchedulerSignaler signaler) {
        this.triggers = triggers;
        this.jobs = jobs;
        this.signaler = signaler;
    }

    /** Removes a trigger; false when there was none. */
    public boolean remove(TriggerKey key) throws JobPersistenceException {
        Optional<StoredTrigger> removed = triggers.delete(key);
        if (removed.isEmpty()) {
            return false;
        }
        leaveJob(removed.get().trigger().getJobKey(), key);
        return true;
    }

    /**
     * Removes a trigger the firing {@code fireId} of {@code job} advanced to its end, unless someone rescheduled or
     * re-stored it since; one conditional delete instead of reading it first. A durable job's trigger list is left as
     * it is (every reader verifies the listed triggers, registration prunes it), so this is the only call; a
     * non-durable job still goes with its last trigger, judged on its durability as the firing read it.
     */
    public void removeFinished(OperableTrigger trigger, String fireId, JobDetail job) throws JobPersistenceException {
        if (triggers.deleteFinished(trigger.getKey(), fireId) && !job.isDurable()) {
            leaveJob(trigger.getJobKey(), trigger.getKey());
        }
    }

    private void leaveJob(JobKey jobKey, TriggerKey key) throws JobPersistenceException {
        Optional<StoredJob> job = jobs.unregisterAndGet(jobKey, key);
        // exact: the job's triggers are read from the job item and the base table, and the delete fails if a
        // trigger registered on the job since it was read
        if (job.isPresent()
                && !job.get().detail().isDurable()
                && triggers.forJob(jobKey).isEmpty()
                && job.get().version() != null
                && jobs.deleteIfVersion(jobKey, job.get().version())) {
            signaler.notifySchedulerListenersJobDeleted(jobKey);
        }
    }
}
