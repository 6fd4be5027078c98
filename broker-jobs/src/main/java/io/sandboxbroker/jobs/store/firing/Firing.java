package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.firing.Holdings.Holding;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.CalendarItems;
import io.sandboxbroker.jobs.store.table.FiredItems;
import io.sandboxbroker.jobs.store.table.FiredItems.FiredRecord;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.OwnWrite;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.Calendar;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns acquired triggers into firings. Order matters: the non-concurrency lock first (so a lost race
 * costs nothing), the fired record for recovery next, and the trigger's advance last, conditional on
 * the version written at acquisition — if anything touched the trigger since, the firing is dropped.
 */
public final class Firing {
    private static final Logger LOG = LoggerFactory.getLogger(Firing.class);
    private final TriggerItems triggers;
    private final JobItems jobs;
    private final CalendarItems calendars;
    private final FiredItems fired;
    private final Blocking blocking;
    private final Holdings holdings;
    private final Clock clock;
    private final String instanceId;

    public Firing(
            TriggerItems triggers,
            JobItems jobs,
            CalendarItems calendars,
            FiredItems fired,
            Blocking blocking,
            Holdings holdings,
            Clock clock,
            String instanceId) {
        this.triggers = triggers;
        this.jobs = jobs;
        this.calendars = calendars;
        this.fired = fired;
        this.blocking = blocking;
        this.holdings = holdings;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    public List<TriggerFiredResult> fire(List<OperableTrigger> acquired) {
        BatchReads reads = new BatchReads(acquired);
        List<TriggerFiredResult> results = new ArrayList<>(acquired.size());
        for (OperableTrigger trigger : acquired) {
            try {
                results.add(new TriggerFiredResult(fire(trigger, reads)));
            } catch (JobPersistenceException | RuntimeException e) {
                results.add(new TriggerFiredResult(e));
            }
        }
        return results;
    }

    /**
     * The jobs and calendars of one batch, each read once: the jobs in one consistent batch read rather than one
     * read per trigger. If that read fails (a job class that does not load, an error after the SDK's retries), each
     * trigger reads its own job, so one bad job fails only its own triggers.
     */
    private final class BatchReads {
        private final Map<JobKey, StoredJob> jobsRead;
        private final Map<String, Optional<Calendar>> calendarsRead = new HashMap<>();

        BatchReads(List<OperableTrigger> acquired) {
            Map<JobKey, StoredJob> read;
            try {
                read = jobs.getAll(acquired.stream()
                        .map(OperableTrigger::getJobKey)
                        .distinct()
                        .toList());
            } catch (JobPersistenceException | RuntimeException e) {
                LOG.warn("action=fire_read_jobs outcome=failed (reading one by one)", e);
                read = null;
            }
            this.jobsRead = read;
        }

        Optional<StoredJob> job(JobKey key) throws JobPersistenceException {
            return jobsRead == null ? jobs.get(key) : Optional.ofNullable(jobsRead.get(key));
        }

        Optional<Calendar> calendar(String name) throws JobPersistenceException {
            Optional<Calendar> calendar = calendarsRead.get(name);
            if (calendar == null) {
                calendar = calendars.get(name);
                calendarsRead.put(name, calendar);
            }
            return calendar;
        }
    }

    /** The bundle to run, or null when the trigger must not fire now (Quartz then releases it). */
    private TriggerFiredBundle fire(OperableTrigger trigger, BatchReads reads) throws JobPersistenceException {
        TriggerKey key = trigger.getKey();
        String fireId = trigger.getFireInstanceId();
        Holding holding = holdings.get(fireId).orElse(null);
        String version = holding == null ? null : holding.version();
        if (version == null) {
            Optional<StoredTrigger> stored = triggers.get(key);
            if (stored.isEmpty()
                    || stored.get().state() != TriggerStatus.ACQUIRED
                    || !fireId.equals(stored.get().fireId())) {
                return null;
            }
            version = stored.get().version();
            holding = holdings.open(fireId);
            holding.acquiring(key, version);
            holding.live(true);
        }
        Optional<StoredJob> job = reads.job(trigger.getJobKey());
        if (job.isEmpty()) {
            // as the JDBC store does: a trigger whose job vanished goes to ERROR
            // ours: acquired by this fire id, or (acquired without a write) still the version this node saw
            String seen = version;
            boolean reserved = holding.reserved();
            triggers.mutate(
                    key,
                    current -> (reserved ? seen.equals(current.version()) : fireId.equals(current.fireId()))
                            ? current.next(TriggerStatus.ERROR)
                            : null);
            return null;
        }
        Calendar calendar = null;
        if (trigger.getCalendarName() != null) {
            calendar = reads.calendar(trigger.getCalendarName()).orElse(null);
            if (calendar == null) {
                return null;
            }
        }
        JobDetail detail = job.get().detail();
        JobKey jobKey = detail.getKey();
        boolean nonConcurrent = detail.isConcurrentExecutionDisallowed();
        if (nonConcurrent) {
            holding.locking(jobKey);
            if (!jobs.lock(jobKey, fireId, instanceId)) {
                holding.unlocked();
                park(trigger, version, holding);
                return null;
            }
        }
        Date previous = trigger.getPreviousFireTime();
        Date scheduled = trigger.getNextFireTime();
        trigger.triggered(calendar);
        TriggerStatus state = trigger.getNextFireTime() == null
                ? TriggerStatus.COMPLETE
                : nonConcurrent ? TriggerStatus.BLOCKED : TriggerStatus.WAITING;
        long now = clock.millis();
        if (detail.requestsRecovery()) {
            holding.recording();
            fired.put(
                    new FiredRecord(fireId, instanceId, key, jobKey, now, scheduled.getTime(), trigger.getPriority()));
        }
        StoredTrigger advanced =
                new StoredTrigger(trigger, state, Table.newVersion(), null, null, nonConcurrent, fireId);
        if (!advance(advanced, version)) {
            // someone changed the trigger since we acquired it (pause, replace, recovery, or another node fired a
            // trigger this node acquired without a write): this firing is off
            holding.lostRace();
            if (nonConcurrent) {
                jobs.unlock(jobKey, fireId);
                holding.unlocked();
                // whoever releases the lock unblocks afterwards: a trigger may have been parked behind it meanwhile
                unblockAll(jobKey);
            }
            if (detail.requestsRecovery()) {
                fired.delete(fireId);
                holding.recordDeleted();
            }
            return null;
        }
        holding.triggerGiven();
        if (nonConcurrent) {
            blockOthers(jobKey, key);
        }
        return new TriggerFiredBundle(
                detail,
                trigger,
                calendar,
                Scheduler.DEFAULT_RECOVERY_GROUP.equals(key.getGroup()),
                new Date(now),
                trigger.getPreviousFireTime(),
                previous,
                trigger.getNextFireTime());
    }

    /**
     * The advance decides whether the firing happens. If the SDK gave up on it, the trigger is read back: our
     * version there means it was applied, and the job must run, or this scheduled time would be lost.
     */
    private boolean advance(StoredTrigger advanced, String version) throws JobPersistenceException {
        // by fire id, not version: a completing run's unblock may already have rewritten the advanced trigger
        OwnWrite own = OwnWrite.wrote(Attr.FIRED_BY, advanced.firedBy());
        try {
            return triggers.replace(advanced, version, own);
        } catch (RuntimeException unknownOutcome) {
            if (appliedAnyway(advanced)) {
                return true;
            }
            throw unknownOutcome;
        }
    }

    /**
     * Quartz's halt (every stop of a jobs task) interrupts the scheduler thread, and the SDK then refuses every call
     * of that thread; the read-back must still happen, so the interrupt waits until it is done.
     */
    private boolean appliedAnyway(StoredTrigger advanced) throws JobPersistenceException {
        boolean interrupted = Thread.interrupted();
        try {
            Optional<StoredTrigger> now = triggers.get(advanced.trigger().getKey());
            return now.isPresent() && advanced.firedBy().equals(now.get().firedBy());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** BLOCKED states are visibility only (the lock is the guard); failing to write them must not cancel a firing. */
    private void blockOthers(JobKey jobKey, TriggerKey running) {
        try {
            blocking.blockOthers(jobKey, running);
        } catch (JobPersistenceException | RuntimeException e) {
            LOG.warn("action=block_others outcome=failed job={}", jobKey, e);
        }
    }

    private void unblockAll(JobKey jobKey) {
        try {
            blocking.unblockAll(jobKey);
        } catch (JobPersistenceException | RuntimeException e) {
            LOG.warn("action=unblock outcome=failed job={} (the sweep unblocks it)", jobKey, e);
        }
    }

    /** Another firing runs the job: the trigger waits BLOCKED until that run completes and unblocks it. */
    private void park(OperableTrigger trigger, String version, Holding holding) throws JobPersistenceException {
        StoredTrigger acquired = new StoredTrigger(
                trigger, TriggerStatus.ACQUIRED, version, instanceId, trigger.getFireInstanceId(), true);
        if (triggers.replace(acquired.next(TriggerStatus.BLOCKED), version)) {
            holding.triggerGiven();
            blocking.settle(trigger.getJobKey(), trigger.getKey());
        }
    }
}
