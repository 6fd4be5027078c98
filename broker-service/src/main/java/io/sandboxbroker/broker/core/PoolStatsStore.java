package io.sandboxbroker.broker.core;

import java.util.Optional;

/** Port: the last computed pool statistics, shared by every process so that no reader counts per request. */
public interface PoolStatsStore {

    Optional<PoolStats> read();

    /** Stores the statistics unless newer ones are already stored; false when they were. */
    boolean write(PoolStats stats);
}
