package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.core.PoolHealth;
import io.sandboxbroker.broker.core.PoolLevels;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.SandboxStatus;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool gauges from {@link PoolService#stats()}, which is cached (the system we replace scanned the
 * table on every scrape): {@code broker_pool_sandboxes{status=…}}, and per pool (name group)
 * {@code broker_pool_available{group=…}}, {@code broker_pool_low_water{group=…}} and
 * {@code broker_pool_state{group=…}} (0 ok, 1 low, 2 empty). Pools appear as the pool learns them
 * (and every pool the configuration lists); call {@link #refresh()} before a scrape so new groups
 * are registered.
 */
public final class PoolGauges {
    public static final String BY_STATUS = "broker_pool_sandboxes";
    public static final String AVAILABLE_BY_GROUP = "broker_pool_available";
    public static final String LOW_WATER_BY_GROUP = "broker_pool_low_water";
    /** 0 ok, 1 low (below low water), 2 empty: alarm on {@code >= 1}. */
    public static final String STATE_BY_GROUP = "broker_pool_state";
    /** Retired tenants the provider still lists (as the last sync saw them): chase them in the provider. */
    public static final String RETIRED_STILL_LISTED = "broker_retired_tenants_still_listed";

    private static final Logger LOG = LoggerFactory.getLogger(PoolGauges.class);

    private final PoolService pool;
    private final PoolLevels levels;
    private final MetricRegistry registry;
    private final AtomicReference<PoolStats> lastGood = new AtomicReference<>();

    @Inject
    public PoolGauges(PoolService pool, PoolLevels levels, MetricRegistry registry) {
        this.pool = pool;
        this.levels = levels;
        this.registry = registry;
        for (SandboxStatus status : SandboxStatus.values()) {
            registry.gauge(MetricNames.labelled(BY_STATUS, "status", status.wire()), () ->
                    (Gauge<Long>) () -> current().count(status));
        }
        registry.gauge(RETIRED_STILL_LISTED, () -> (Gauge<Long>) this::retiredStillListed);
    }

    private long retiredStillListed() {
        try {
            return pool.retiredStillListed().count();
        } catch (RuntimeException e) {
            LOG.warn("action=pool_gauges outcome=stale error={}", e.toString());
            return 0;
        }
    }

    /** Registers the gauges of each name group the latest stats know and each the configuration lists. */
    public void refresh() {
        Set<String> groups = new TreeSet<>(current().byGroup().keySet());
        groups.addAll(levels.listed());
        for (String group : groups) {
            registry.gauge(MetricNames.labelled(AVAILABLE_BY_GROUP, "group", group), () ->
                    (Gauge<Long>) () -> health(group).available());
            registry.gauge(MetricNames.labelled(LOW_WATER_BY_GROUP, "group", group), () ->
                    (Gauge<Long>) () -> levels.of(group).lowWater());
            registry.gauge(MetricNames.labelled(STATE_BY_GROUP, "group", group), () ->
                    (Gauge<Integer>) () -> health(group).state().ordinal());
        }
    }

    /** The group against its level; the allocation rate is left out (a scrape reads no usage). */
    private PoolHealth health(String group) {
        return PoolHealth.of(group, current().byGroup().getOrDefault(group, Map.of()), levels.of(group), 0);
    }

    /** The cached stats; when storage is down, the last ones that were read (a scrape must not fail). */
    private PoolStats current() {
        try {
            PoolStats stats = pool.stats();
            lastGood.set(stats);
            return stats;
        } catch (RuntimeException e) {
            PoolStats last = lastGood.get();
            LOG.warn("action=pool_gauges outcome=stale error={}", e.toString());
            return last != null ? last : new PoolStats.Tally().at(java.time.Instant.EPOCH);
        }
    }
}
