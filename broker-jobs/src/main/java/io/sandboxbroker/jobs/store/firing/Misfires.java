package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.table.CalendarItems;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.time.Clock;
import java.util.Date;
import org.quartz.Calendar;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;

/**
 * Misfire handling: a trigger whose next fire time is older than the threshold gets its own
 * {@code updateAfterMisfire} (so every misfire instruction behaves as in Quartz's stores), written
 * conditionally on the version read.
 */
public final class Misfires {
    private final TriggerItems triggers;
    private final CalendarItems calendars;
    private final SchedulerSignaler signaler;
    private final Clock clock;
    private final long thresholdMillis;

    public Misfires(
            TriggerItems triggers,
            CalendarItems calendars,
            SchedulerSignaler signaler,
            Clock clock,
            long thresholdMillis) {
        this.triggers = triggers;
        this.calendars = calendars;
        this.signaler = signaler;
        this.clock = clock;
        this.thresholdMillis = thresholdMillis;
    }

    public boolean misfired(OperableTrigger trigger) {
        Date next = trigger.getNextFireTime();
        return next != null
                && next.getTime() <= clock.millis() - thresholdMillis
                && trigger.getMisfireInstruction() != Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY;
    }

    /**
     * Returns {@code stored} unchanged if it has not misfired, the rewritten trigger if it had, or null
     * if another writer changed it first (the caller skips it).
     */
    public StoredTrigger handle(StoredTrigger stored) throws JobPersistenceException {
        if (!misfired(stored.trigger())) {
            return stored;
        }
        StoredTrigger next = updated(stored);
        // a misfire only moves a due trigger on (to now or later): nothing for other nodes to wake for
        if (!triggers.replaceLater(next, stored.version())) {
            return null;
        }
        notify(stored.trigger(), next);
        return next;
    }

    /** The trigger after its misfire instruction, with a fresh version; not written. */
    public StoredTrigger updated(StoredTrigger stored) throws JobPersistenceException {
        OperableTrigger copy = (OperableTrigger) stored.trigger().clone();
        Calendar calendar = copy.getCalendarName() == null
                ? null
                : calendars.get(copy.getCalendarName()).orElse(null);
        copy.updateAfterMisfire(calendar);
        TriggerStatus state = copy.getNextFireTime() == null ? TriggerStatus.COMPLETE : stored.state();
        return stored.withTrigger(copy).next(state);
    }

    /** Tells listeners, once the misfire is written. */
    public void notify(OperableTrigger before, StoredTrigger after) {
        signaler.notifyTriggerListenersMisfired((OperableTrigger) before.clone());
        if (after.trigger().getNextFireTime() == null) {
            signaler.notifySchedulerListenersFinalized(after.trigger());
        }
    }
}
