package io.sandboxbroker.jobs.store.scheduling;

import io.sandboxbroker.jobs.store.firing.Blocking;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;

/**
 * Storing, replacing and removing jobs and triggers. A trigger starts PAUSED in a paused group and BLOCKED while its
 * non-concurrent job runs, as in Quartz's stores; once it exists it is registered on its job item (whoever decides on
 * a job's triggers reads them from there, not from an index that may not show it yet), and the pause and block rules
 * are checked again against what others changed meanwhile.
 */
public final class Storing {
    private static final int MAX_ATTEMPTS = 20;

    private final TriggerItems triggers;
    private final JobItems jobs;
    private final Pausing pausing;
    private final Blocking blocking;

    public Storing(TriggerItems triggers, JobItems jobs, Pausing pausing, Blocking blocking) {
        this.triggers = triggers;
        this.jobs = jobs;
        this.pausing = pausing;
        this.blocking = blocking;
    }

    public void storeJob(JobDetail job, boolean replaceExisting) throws JobPersistenceException {
        if (!jobs.store(job, replaceExisting)) {
            throw new ObjectAlreadyExistsException(job);
        }
    }

    public void storeTrigger(OperableTrigger trigger, boolean replaceExisting) throws JobPersistenceException {
        StoredTrigger stored = initial(trigger);
        if (replaceExisting) {
            triggers.put(stored);
        } else if (!triggers.create(stored)) {
            throw new ObjectAlreadyExistsException(trigger);
        }
        settle(stored);
    }

    /** As Quartz's stores: with {@code replace} false, nothing is stored if any job or trigger exists already. */
    public void storeJobsAndTriggers(Map<JobDetail, Set<? extends Trigger>> triggersAndJobs, boolean replace)
            throws JobPersistenceException {
        if (!replace) {
            for (Map.Entry<JobDetail, Set<? extends Trigger>> entry : triggersAndJobs.entrySet()) {
                if (jobs.exists(entry.getKey().getKey())) {
                    throw new ObjectAlreadyExistsException(entry.getKey());
                }
                for (Trigger trigger : entry.getValue()) {
                    if (triggers.exists(trigger.getKey())) {
                        throw new ObjectAlreadyExistsException(trigger);
                    }
                }
            }
        }
        for (Map.Entry<JobDetail, Set<? extends Trigger>> entry : triggersAndJobs.entrySet()) {
            storeJob(entry.getKey(), true);
            for (Trigger trigger : entry.getValue()) {
                storeTrigger((OperableTrigger) trigger, true);
            }
        }
    }

    /** Stores a recovery trigger; one an earlier, interrupted recovery of the same firing stored is kept. */
    public void storeRecoveryTrigger(OperableTrigger trigger) throws JobPersistenceException {
        try {
            storeTrigger(trigger, false);
        } catch (ObjectAlreadyExistsException alreadyRecovered) {
            // stored by an earlier attempt of the same recovery
        }
    }

    /**
     * As Quartz's stores: the new trigger must be for the same job; it starts as a trigger stored now would (paused in
     * a paused group, blocked while the job runs), whatever state the old one was in; false when there is no old one.
     * Under a new key, the new trigger is created (failing if that key is taken, the old one kept) before the old one
     * goes, so the job is never without a trigger; under the same key the write is conditional on the old version.
     */
    public boolean replaceTrigger(TriggerKey key, OperableTrigger newTrigger) throws JobPersistenceException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<StoredTrigger> old = triggers.get(key);
            if (old.isEmpty()) {
                return false;
            }
            JobKey job = old.get().trigger().getJobKey();
            if (!job.equals(newTrigger.getJobKey())) {
                throw new JobPersistenceException("New trigger is not related to the same job as the old trigger.");
            }
            StoredTrigger stored = initial(newTrigger);
            if (key.equals(newTrigger.getKey())) {
                if (!triggers.replace(stored, old.get().version())) {
                    continue; // changed meanwhile (fired, paused): replace what is there now
                }
                settle(stored);
            } else {
                if (!triggers.create(stored)) {
                    throw new ObjectAlreadyExistsException(newTrigger);
                }
                register(stored);
                triggers.delete(key);
                jobs.unregister(job, key);
                afterRegistered(stored);
            }
            return true;
        }
        throw new JobPersistenceException("trigger " + key + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    /** Removes a job and its triggers; false when there was no such job. */
    public boolean removeJob(JobKey job) throws JobPersistenceException {
        for (StoredTrigger trigger : triggers.forJob(job)) {
            triggers.delete(trigger.trigger().getKey());
        }
        return jobs.delete(job);
    }

    /** The trigger as it starts: paused in a paused group, blocked while its non-concurrent job runs. */
    private StoredTrigger initial(OperableTrigger trigger) throws JobPersistenceException {
        StoredJob job = jobs.get(trigger.getJobKey()).orElseThrow(() -> missingJob(trigger));
        TriggerStatus state = pausing.startsPaused(trigger) ? TriggerStatus.PAUSED : TriggerStatus.WAITING;
        if (job.running()) {
            state = state == TriggerStatus.PAUSED ? TriggerStatus.PAUSED_BLOCKED : TriggerStatus.BLOCKED;
        }
        return new StoredTrigger(
                (OperableTrigger) trigger.clone(),
                state,
                Table.newVersion(),
                null,
                null,
                job.detail().isConcurrentExecutionDisallowed());
    }

    private void settle(StoredTrigger stored) throws JobPersistenceException {
        register(stored);
        afterRegistered(stored);
    }

    /** On the job item, right after the trigger exists; if the job is gone meanwhile, so is the trigger. */
    private void register(StoredTrigger stored) throws JobPersistenceException {
        OperableTrigger trigger = stored.trigger();
        if (!jobs.register(trigger.getJobKey(), trigger.getKey())) {
            triggers.delete(trigger.getKey());
            throw missingJob(trigger);
        }
    }

    /** Groups paused or resumed, and the job's run ended, while the trigger was being stored. */
    private void afterRegistered(StoredTrigger stored) throws JobPersistenceException {
        pausing.settle(stored);
        if (stored.state().blocked()) {
            blocking.settle(stored.trigger().getJobKey(), stored.trigger().getKey());
        }
    }

    private static JobPersistenceException missingJob(Trigger trigger) {
        return new JobPersistenceException(
                "The job (" + trigger.getJobKey() + ") referenced by the trigger does not exist.");
    }
}
