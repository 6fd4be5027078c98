package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.SandboxStatus;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool gauges from {@link PoolService#stats()}, which is cached (the system we replace scanned the
 * table on every scrape): {@code broker_pool_sandboxes{status=…}} and
 * {@code broker_pool_available{group=…}}. Name groups appear as the pool learns them; call
 * {@link #refresh()} before a scrape so new groups are registered.
 */
public final class PoolGauges {
    public static final String BY_STATUS = "broker_pool_sandboxes";
    public static final String AVAILABLE_BY_GROUP = "broker_pool_available";
    /** Retired tenants the provider still lists (as the last sync saw them): chase them in the provider. */
    public static final String RETIRED_STILL_LISTED = "broker_retired_tenants_still_listed";
    private static final Logger LOG = LoggerFactory.getLogger(PoolGauges.class);

    private final PoolService pool;
    private final MetricRegistry registry;
    private final AtomicReference<PoolStats> lastGood = new AtomicReference<>();

    @Inject
    public PoolGauges(PoolService pool, MetricRegistry registry) {
        this.pool = pool;
        this.registry = registry;
        for (SandboxStatus status : SandboxStatus.values()) {
            registry.gauge(MetricNames.labelled(BY_STATUS, "status", status.wire()),
                    () -> (Gauge<Long>) () -> current().count(status));
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

    /** Registers a gauge for each name group the latest stats know. */
    public void refresh() {
        for (String group : current().byGroup().keySet()) {
            registry.gauge(MetricNames.labelled(AVAILABLE_BY_GROUP, "group", group),
                    () -> (Gauge<Long>) () -> current().byGroup().getOrDefault(group, Map.of())
                            .getOrDefault(SandboxStatus.AVAILABLE, 0L));
        }
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
