package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.firing.Holdings.Holding;
import io.sandboxbroker.jobs.store.table.FiredItems;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back what this node holds, from {@link Holdings}: an acquired trigger goes back to WAITING, a job lock
 * is released and the job's triggers unblocked, a fired record is deleted. Every write is conditional on the
 * fire instance id, so giving back twice, or after someone else took over, changes nothing.
 */
public final class Release {
    private static final Logger LOG = LoggerFactory.getLogger(Release.class);

    private final TriggerItems triggers;
    private final JobItems jobs;
    private final FiredItems fired;
    private final Blocking blocking;
    private final Holdings holdings;

    public Release(TriggerItems triggers, JobItems jobs, FiredItems fired, Blocking blocking, Holdings holdings) {
        this.triggers = triggers;
        this.jobs = jobs;
        this.fired = fired;
        this.blocking = blocking;
        this.holdings = holdings;
    }

    /** Gives back every part of the holding still noted; a failed write throws and leaves its part noted. */
    public void giveBack(Holding holding) throws JobPersistenceException {
        TriggerKey trigger = holding.trigger();
        if (trigger != null && !holding.reserved()) {
            triggers.mutate(
                    trigger,
                    current -> current.state() == TriggerStatus.ACQUIRED
                                    && holding.fireId().equals(current.fireId())
                            ? current.next(TriggerStatus.WAITING)
                            : null);
        }
        if (trigger != null) {
            holding.triggerGiven();
        }
        JobKey job = holding.lockedJob();
        if (job != null) {
            jobs.unlock(job, holding.fireId());
            holding.unlocked();
            blocking.unblockAll(job);
        }
        if (holding.firedRecord()) {
            fired.delete(holding.fireId());
            holding.recordDeleted();
        }
        holdings.forgetIfEmpty(holding);
    }

    /** Gives back holdings no firing of this process will complete; returns how many. */
    public int orphans(long minAgeNanos) {
        int released = 0;
        for (Holding orphan : holdings.orphans(minAgeNanos)) {
            try {
                giveBack(orphan);
                LOG.info("action=release_orphan fire={}", orphan.fireId());
                released++;
            } catch (JobPersistenceException | RuntimeException e) {
                LOG.warn("action=release_orphan outcome=failed holding={}", orphan, e);
            }
        }
        return released;
    }

    /** On clean shutdown: gives back everything; true when nothing is held any more. */
    public boolean everything() {
        for (Holding holding : holdings.all()) {
            try {
                giveBack(holding);
            } catch (JobPersistenceException | RuntimeException e) {
                LOG.warn("action=checkout_release outcome=failed holding={}", holding, e);
            }
        }
        return holdings.isEmpty();
    }
}
