package io.sandboxbroker.jobs.store.table;

import org.quartz.Trigger.TriggerState;

/** A stored trigger's state; finer than Quartz's {@link TriggerState}, as in the JDBC store. */
public enum TriggerStatus {
    WAITING,
    ACQUIRED,
    PAUSED,
    BLOCKED,
    PAUSED_BLOCKED,
    COMPLETE,
    ERROR;

    public TriggerState quartzState() {
        return switch (this) {
            case WAITING, ACQUIRED -> TriggerState.NORMAL;
            case PAUSED, PAUSED_BLOCKED -> TriggerState.PAUSED;
            case BLOCKED -> TriggerState.BLOCKED;
            case COMPLETE -> TriggerState.COMPLETE;
            case ERROR -> TriggerState.ERROR;
        };
    }

    public boolean paused() {
        return this == PAUSED || this == PAUSED_BLOCKED;
    }

    public boolean blocked() {
        return this == BLOCKED || this == PAUSED_BLOCKED;
    }
}
