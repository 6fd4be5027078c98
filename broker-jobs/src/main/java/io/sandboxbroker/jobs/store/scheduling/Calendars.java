package io.sandboxbroker.jobs.store.scheduling;

import io.sandboxbroker.jobs.store.table.CalendarItems;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import org.quartz.Calendar;
import org.quartz.JobPersistenceException;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;

/**
 * Calendars as Quartz's stores keep them: replacing one with {@code updateTriggers} recomputes the next fire times of
 * the triggers that use it (each keeps its state, as in RAMJobStore; JobStoreSupport would set them WAITING), and one
 * a trigger uses cannot be removed. Which triggers use a calendar is read from the base table (a consistent scan), not
 * from an index that may not show a trigger stored a moment ago; both operations are rare.
 */
public final class Calendars {
    private final CalendarItems calendars;
    private final TriggerItems triggers;
    private final long misfireThresholdMillis;

    public Calendars(CalendarItems calendars, TriggerItems triggers, long misfireThresholdMillis) {
        this.calendars = calendars;
        this.triggers = triggers;
        this.misfireThresholdMillis = misfireThresholdMillis;
    }

    public void store(String name, Calendar calendar, boolean replaceExisting, boolean updateTriggers)
            throws JobPersistenceException {
        if (!replaceExisting) {
            if (!calendars.store(name, calendar, false)) {
                throw new ObjectAlreadyExistsException("Calendar with name '" + name + "' already exists.");
            }
            return;
        }
        boolean existed = calendars.exists(name);
        calendars.store(name, calendar, true);
        if (existed && updateTriggers) {
            for (TriggerKey key : triggers.scanUsingCalendar(name)) {
                triggers.mutate(key, current -> {
                    if (!name.equals(current.trigger().getCalendarName())) {
                        return null;
                    }
                    OperableTrigger updated =
                            (OperableTrigger) current.trigger().clone();
                    updated.updateWithNewCalendar(calendar, misfireThresholdMillis);
                    return current.withTrigger(updated).next(current.state());
                });
            }
        }
    }

    /** False when there is no such calendar; refuses while any trigger names it, as Quartz's stores do. */
    public boolean remove(String name) throws JobPersistenceException {
        if (!triggers.scanUsingCalendar(name).isEmpty()) {
            throw new JobPersistenceException("Calender cannot be removed if it referenced by a trigger!");
        }
        return calendars.delete(name);
    }
}
