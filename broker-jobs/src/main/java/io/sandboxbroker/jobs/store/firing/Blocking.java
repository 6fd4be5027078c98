package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;

/**
 * BLOCKED states of the triggers of a running {@code @DisallowConcurrentExecution} job. These states
 * are for visibility and to keep other nodes from acquiring in vain; the exact guard is the lock on
 * the job item (see {@link Firing}).
 *
 * <p>Rule that keeps a trigger from staying BLOCKED forever: whoever writes BLOCKED checks the job's
 * lock afterwards and unblocks if it is free, and whoever releases the lock unblocks afterwards. Either
 * the releaser sees the BLOCKED state, or the blocker sees the free lock.
 */
public final class Blocking {
    private final TriggerItems triggers;
    private final JobItems jobs;

    public Blocking(TriggerItems triggers, JobItems jobs) {
        this.triggers = triggers;
        this.jobs = jobs;
    }

    public void blockOthers(JobKey job, TriggerKey running) throws JobPersistenceException {
        for (StoredTrigger candidate : triggers.forJob(job)) {
            TriggerKey key = candidate.trigger().getKey();
            if (key.equals(running)) {
                continue;
            }
            triggers.mutate(key, current -> switch (current.state()) {
                case WAITING -> current.next(TriggerStatus.BLOCKED);
                case PAUSED -> current.next(TriggerStatus.PAUSED_BLOCKED);
                default -> null;
            });
        }
        if (!running(job)) {
            unblockAll(job);
        }
    }

    /** Call after writing a BLOCKED state for {@code trigger}: unblocks it if the job's run already ended. */
    public void settle(JobKey job, TriggerKey trigger) throws JobPersistenceException {
        if (!running(job)) {
            unblock(trigger);
        }
    }

    private boolean running(JobKey job) throws JobPersistenceException {
        return jobs.get(job).map(StoredJob::running).orElse(false);
    }

    /** Every trigger is read consistently: the index may not show a block that just happened. */
    public void unblockAll(JobKey job) throws JobPersistenceException {
        for (StoredTrigger candidate : triggers.forJob(job)) {
            unblock(candidate.trigger().getKey());
        }
    }

    public void unblock(TriggerKey key) throws JobPersistenceException {
        triggers.mutate(key, current -> switch (current.state()) {
            case BLOCKED -> current.next(TriggerStatus.WAITING);
            case PAUSED_BLOCKED -> current.next(TriggerStatus.PAUSED);
            default -> null;
        });
    }
}
