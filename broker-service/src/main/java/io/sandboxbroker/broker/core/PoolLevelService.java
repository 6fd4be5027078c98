package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Every pool against its configured level, emptiest first: what operators refill by. */
public final class PoolLevelService {
    private final PoolService pool;
    private final UsageService usage;
    private final PoolLevels levels;

    /** The pools as of the statistics' {@code computedAt}; allocation rates are as of the read. */
    public record PoolReport(Instant computedAt, List<PoolHealth> pools) {}

    @Inject
    public PoolLevelService(PoolService pool, UsageService usage, PoolLevels levels) {
        this.pool = pool;
        this.usage = usage;
        this.levels = levels;
    }

    /**
     * Each pool the statistics know or the configuration lists, empty ones first, then low ones,
     * then the rest, each by the time to empty (soonest first) and name.
     */
    public PoolReport report() {
        PoolStats stats = pool.stats();
        return new PoolReport(stats.computedAt(), against(stats, usage.allocationsLastHour()));
    }

    /** Each pool of {@code stats} and of the configuration against its level, in the order of {@link #report()}. */
    public List<PoolHealth> against(PoolStats stats, Map<String, Long> rates) {
        TreeSet<String> groups = new TreeSet<>(stats.byGroup().keySet());
        groups.addAll(levels.listed());
        List<PoolHealth> pools = new ArrayList<>();
        for (String group : groups) {
            pools.add(PoolHealth.of(
                    group,
                    stats.byGroup().getOrDefault(group, Map.of()),
                    levels.of(group),
                    rates.getOrDefault(group, 0L)));
        }
        pools.sort(Comparator.comparing((PoolHealth health) -> -health.state().ordinal())
                .thenComparing(health -> health.secondsToEmpty() == null ? Long.MAX_VALUE : health.secondsToEmpty())
                .thenComparing(PoolHealth::group));
        return List.copyOf(pools);
    }
}
