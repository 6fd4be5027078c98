package io.sandboxbroker.broker.core;

import java.util.Locale;

/**
 * A pool against its low water: {@code empty} (nothing available), {@code low} (below low water) or
 * {@code ok}. The order is the severity: {@code broker_pool_state} exports the ordinal (0, 1, 2).
 */
public enum PoolState {
    OK,
    LOW,
    EMPTY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PoolState of(long available, long lowWater) {
        if (available == 0) {
            return EMPTY;
        }
        return available < lowWater ? LOW : OK;
    }
}
