package io.sandboxbroker.broker.core;

import java.util.Map;
import java.util.Set;

/** The configured level of each listed pool, and the level of every pool not listed. */
public record PoolLevels(PoolLevel unlisted, Map<String, PoolLevel> byGroup) {

    public PoolLevels {
        byGroup = Map.copyOf(byGroup);
    }

    public static PoolLevels defaults() {
        return new PoolLevels(new PoolLevel(10, null), Map.of());
    }

    public PoolLevel of(String group) {
        return byGroup.getOrDefault(group, unlisted);
    }

    /** Pools operators named: reported even while no sandbox of theirs exists (that is an empty pool). */
    public Set<String> listed() {
        return byGroup.keySet();
    }
}
