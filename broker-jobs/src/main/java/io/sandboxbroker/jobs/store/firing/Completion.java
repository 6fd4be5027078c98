package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.firing.Holdings.Holding;
import io.sandboxbroker.jobs.store.table.FiredItems;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.util.Optional;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;

/** What happens when a job finishes, in JobStoreSupport's order: job data, unblock, the instruction, the fired record. */
public final class Completion {

    private final TriggerItems triggers;
    private final JobItems jobs;
    private final FiredItems fired;
    private final Blocking blocking;
    private final SchedulerSignaler signaler;
    private final TriggerRemoval removal;
    private final Holdings holdings;

    public Completion(
            TriggerItems triggers,
            JobItems jobs,
            FiredItems fired,
            Blocking blocking,
            SchedulerSignaler signaler,
            TriggerRemoval removal,
            Holdings holdings) {
        this.holdings = holdings;
        this.triggers = triggers;
        this.jobs = jobs;
        this.fired = fired;
        this.blocking = blocking;
        this.signaler = signaler;
        this.removal = removal;
    }

    public void complete(OperableTrigger trigger, JobDetail job, CompletedExecutionInstruction instruction)
            throws JobPersistenceException {
        Optional<Holding> holding = holdings.get(trigger.getFireInstanceId());
        try {
            if (job.isPersistJobDataAfterExecution()) {
                JobDataMap data = job.getJobDataMap();
                if (data != null && data.isDirty()) {
                    jobs.updateData(job.getKey(), data);
                }
            }
        } finally {
            if (job.isConcurrentExecutionDisallowed()) {
                jobs.unlock(job.getKey(), trigger.getFireInstanceId());
                holding.ifPresent(Holding::unlocked);
            }
        }
        if (job.isConcurrentExecutionDisallowed()) {
            blocking.unblockAll(job.getKey());
            signaler.signalSchedulingChange(0L);
        }
        TriggerKey key = trigger.getKey();
        switch (instruction) {
            case DELETE_TRIGGER -> {
                if (trigger.getNextFireTime() == null && trigger.getFireInstanceId() != null) {
                    // only if nobody rescheduled it meanwhile
                    removal.removeFinished(trigger, trigger.getFireInstanceId(), job);
                } else if (trigger.getNextFireTime() == null) {
                    Optional<StoredTrigger> stored = triggers.get(key);
                    if (stored.isPresent() && stored.get().trigger().getNextFireTime() == null) {
                        removal.remove(key);
                    }
                } else {
                    removal.remove(key);
                    signaler.signalSchedulingChange(0L);
                }
            }
            case SET_TRIGGER_COMPLETE -> {
                setState(key, TriggerStatus.COMPLETE);
                signaler.signalSchedulingChange(0L);
            }
            case SET_TRIGGER_ERROR -> {
                setState(key, TriggerStatus.ERROR);
                signaler.signalSchedulingChange(0L);
            }
            case SET_ALL_JOB_TRIGGERS_COMPLETE, SET_ALL_JOB_TRIGGERS_ERROR -> {
                TriggerStatus state = instruction == CompletedExecutionInstruction.SET_ALL_JOB_TRIGGERS_COMPLETE
                        ? TriggerStatus.COMPLETE
                        : TriggerStatus.ERROR;
                for (StoredTrigger sibling : triggers.forJob(job.getKey())) {
                    setState(sibling.trigger().getKey(), state);
                }
                signaler.signalSchedulingChange(0L);
            }
            default -> {
                // NOOP
            }
        }
        if (job.requestsRecovery()) {
            fired.delete(trigger.getFireInstanceId());
            holding.ifPresent(Holding::recordDeleted);
        }
        holding.ifPresent(holdings::forgetIfEmpty);
    }

    private void setState(TriggerKey key, TriggerStatus state) throws JobPersistenceException {
        triggers.mutate(key, current -> current.next(state));
    }
}
