package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** How many sandboxes are in each state, overall and per name group, as of {@code computedAt}. */
public record PoolStats(Instant computedAt, Map<SandboxStatus, Long> byStatus,
        Map<String, Map<SandboxStatus, Long>> byGroup) implements JobResult {

    public PoolStats {
        byStatus = Map.copyOf(byStatus);
        byGroup = Map.copyOf(byGroup);
    }

    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(SandboxStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** Per status, for the pool-stats job's run record. */
    @Override
    public Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (SandboxStatus status : SandboxStatus.values()) {
            counts.put(status.wire(), count(status));
        }
        return counts;
    }

    /** Accumulates counts sandbox by sandbox. */
    public static final class Tally {
        private final Map<SandboxStatus, Long> byStatus = new EnumMap<>(SandboxStatus.class);
        private final Map<String, Map<SandboxStatus, Long>> byGroup = new TreeMap<>();

        public Tally() {
            for (SandboxStatus status : SandboxStatus.values()) {
                byStatus.put(status, 0L);
            }
        }

        public void add(String name, SandboxStatus status) {
            byStatus.merge(status, 1L, Long::sum);
            byGroup.computeIfAbsent(NameGroup.of(name), group -> new EnumMap<>(SandboxStatus.class))
                    .merge(status, 1L, Long::sum);
        }

        public PoolStats at(Instant computedAt) {
            Map<String, Map<SandboxStatus, Long>> groups = new TreeMap<>();
            byGroup.forEach((group, counts) -> groups.put(group, Map.copyOf(counts)));
            return new PoolStats(computedAt, byStatus, groups);
        }
    }
}
