package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.util.Map;

/**
 * The pool-stats job's work: count the pool for every process, announce the pools whose state
 * crossed an edge, and send the webhook deliveries that are due.
 */
public final class PoolWatch {
    private final PoolService pool;
    private final PoolLevelService levels;
    private final EventService events;

    @Inject
    public PoolWatch(PoolService pool, PoolLevelService levels, EventService events) {
        this.pool = pool;
        this.levels = levels;
        this.events = events;
    }

    public PoolStats run() {
        PoolStats stats = pool.refreshStats();
        events.announcePools(levels.against(stats, Map.of()));
        events.deliver();
        return stats;
    }
}
