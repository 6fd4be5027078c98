package io.sandboxbroker.jobs.store.firing;

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
 */
public final class Blocking {
    private final TriggerItems triggers;

    public Blocking(TriggerItems triggers) {
        this.triggers = triggers;
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
