package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The pool-stats job's work: count the pool for every process, announce the pools whose state
 * crossed an edge (and retired tenants the provider started to list again), and send the webhook
 * deliveries that are due.
 */
public final class PoolWatch {
    private static final Logger LOG = LoggerFactory.getLogger(PoolWatch.class);
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
        List<PoolHealth> pools = levels.against(stats, Map.of());
        pools.stream().filter(health -> health.state() != PoolState.OK).forEach(PoolWatch::logBelowLowWater);
        events.announce(pools, pool.retiredStillListed());
        events.deliver();
        return stats;
    }

    /**
     * One line per pool below its low water, every run, with {@code pool} and {@code pool_state} in
     * the logging context: the JSON log's fields that CloudWatch's metric filter counts for the alarm.
     */
    private static void logBelowLowWater(PoolHealth health) {
        MDC.put("pool", health.group());
        MDC.put("pool_state", health.state().wire());
        try {
            LOG.warn(
                    "action=pool_level pool={} state={} available={} low_water={}",
                    health.group(),
                    health.state().wire(),
                    health.available(),
                    health.level().lowWater());
        } finally {
            MDC.remove("pool");
            MDC.remove("pool_state");
        }
    }
}
