package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Body of {@code GET /v1/admin/stats}: counts per status, and per status within each name group. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PoolStatsView(String computedAt, long total, Map<String, Long> byStatus,
        Map<String, Map<String, Long>> byGroup) {

    public static PoolStatsView of(PoolStats stats) {
        Map<String, Map<String, Long>> groups = new TreeMap<>();
        stats.byGroup().forEach((group, counts) -> groups.put(group, wire(counts)));
        return new PoolStatsView(Times.iso(stats.computedAt()), stats.total(), wire(stats.byStatus()), groups);
    }

    private static Map<String, Long> wire(Map<SandboxStatus, Long> counts) {
        Map<String, Long> wire = new LinkedHashMap<>();
        for (SandboxStatus status : SandboxStatus.values()) {
            wire.put(status.wire(), counts.getOrDefault(status, 0L));
        }
        return wire;
    }
}
