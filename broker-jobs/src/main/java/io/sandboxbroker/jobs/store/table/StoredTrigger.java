package io.sandboxbroker.jobs.store.table;

import org.quartz.spi.OperableTrigger;

/**
 * A trigger as stored: the Quartz object plus the store's own fields. {@code version} is the token the
 * item carries now; a change produces a copy with {@link #next} and is written conditionally on the old one.
 * {@code firedBy} is the fire instance id of the firing that last advanced the trigger, kept by every later
 * change, so a firing whose advance was applied but answered with an error recognises it even after another
 * writer (e.g. an unblock) changed the version.
 */
public record StoredTrigger(
        OperableTrigger trigger,
        TriggerStatus state,
        String version,
        String owner,
        String fireId,
        boolean nonConcurrent,
        String firedBy) {

    /** A trigger no firing has advanced yet. */
    public StoredTrigger(
            OperableTrigger trigger,
            TriggerStatus state,
            String version,
            String owner,
            String fireId,
            boolean nonConcurrent) {
        this(trigger, state, version, owner, fireId, nonConcurrent, null);
    }

    /** A copy in {@code state} with a fresh version; leaving ACQUIRED drops owner and fire id. */
    public StoredTrigger next(TriggerStatus newState) {
        boolean held = newState == TriggerStatus.ACQUIRED;
        return new StoredTrigger(
                trigger,
                newState,
                Table.newVersion(),
                held ? owner : null,
                held ? fireId : null,
                nonConcurrent,
                firedBy);
    }

    public StoredTrigger acquiredBy(String instanceId, String newFireId) {
        return new StoredTrigger(
                trigger, TriggerStatus.ACQUIRED, Table.newVersion(), instanceId, newFireId, nonConcurrent, firedBy);
    }

    public StoredTrigger withTrigger(OperableTrigger updated) {
        return new StoredTrigger(updated, state, version, owner, fireId, nonConcurrent, firedBy);
    }
}
