package io.sandboxbroker.jobs.store.table;

import org.quartz.spi.OperableTrigger;

/**
 * A trigger as stored: the Quartz object plus the store's own fields. {@code version} is the token the
 * item carries now; a change produces a copy with {@link #next} and is written conditionally on the old one.
 */
public record StoredTrigger(OperableTrigger trigger, TriggerStatus state, String version,
                            String owner, String fireId, boolean nonConcurrent) {

    /** A copy in {@code state} with a fresh version; leaving ACQUIRED drops owner and fire id. */
    public StoredTrigger next(TriggerStatus newState) {
        boolean held = newState == TriggerStatus.ACQUIRED;
        return new StoredTrigger(trigger, newState, Table.newVersion(), held ? owner : null, held ? fireId : null, nonConcurrent);
    }

    public StoredTrigger acquiredBy(String instanceId, String newFireId) {
        return new StoredTrigger(trigger, TriggerStatus.ACQUIRED, Table.newVersion(), instanceId, newFireId, nonConcurrent);
    }

    public StoredTrigger withTrigger(OperableTrigger updated) {
        return new StoredTrigger(updated, state, version, owner, fireId, nonConcurrent);
    }
}
