package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many sandboxes are in each state, overall and per name group, as of {@code computedAt}.
 *
 * <p>{@code deletedCountedAt} is when the {@code deleted} tombstones (30 days of history) were
 * last counted: they are read far less often than the rest and carried over in between.
 *
 * <p>The per-group map is bounded ({@link #MAX_GROUPS} groups, names cut to
 * {@link #MAX_GROUP_NAME} characters): sandbox names without a numeric suffix are each their own
 * group, and the stats live in one DynamoDB item of at most 400 KB. The smallest groups beyond the
 * bound are summed under {@link #OTHER}.
 */
public record PoolStats(
        Instant computedAt,
        Map<SandboxStatus, Long> byStatus,
        Map<String, Map<SandboxStatus, Long>> byGroup,
        Instant deletedCountedAt)
        implements JobResult {
    public static final int MAX_GROUPS = 200;
    public static final int MAX_GROUP_NAME = 64;
    public static final String OTHER = "(other)";

    public PoolStats {
        byStatus = Map.copyOf(byStatus);
        byGroup = Map.copyOf(byGroup);
        deletedCountedAt = deletedCountedAt == null ? computedAt : deletedCountedAt;
    }

    public PoolStats(
            Instant computedAt, Map<SandboxStatus, Long> byStatus, Map<String, Map<SandboxStatus, Long>> byGroup) {
        this(computedAt, byStatus, byGroup, computedAt);
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

    /** The pool (name group, cut to {@link #MAX_GROUP_NAME}) a sandbox of this name is counted under. */
    public static String groupOf(String sandboxName) {
        return Tally.group(NameGroup.of(sandboxName));
    }

    /** Counts of sandboxes as they are, not of things a run did: nothing to sum over runs. */
    @Override
    public Map<String, Long> eventCounts() {
        return Map.of();
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
            add(group(NameGroup.of(name)), status, 1);
        }

        /** Takes over {@code earlier}'s counts of one status (overall and per group) instead of counting them. */
        public void carry(SandboxStatus status, PoolStats earlier) {
            earlier.byGroup().forEach((group, counts) -> {
                long count = counts.getOrDefault(status, 0L);
                if (count > 0) {
                    add(group(group), status, 0);
                    byGroup.get(group(group)).merge(status, count, Long::sum);
                }
            });
            byStatus.merge(status, earlier.count(status), Long::sum);
        }

        private void add(String group, SandboxStatus status, long count) {
            byStatus.merge(status, count, Long::sum);
            byGroup.computeIfAbsent(group, g -> new EnumMap<>(SandboxStatus.class))
                    .merge(status, count, Long::sum);
        }

        private static String group(String name) {
            return name.length() <= MAX_GROUP_NAME ? name : name.substring(0, MAX_GROUP_NAME);
        }

        public PoolStats at(Instant computedAt) {
            return at(computedAt, computedAt);
        }

        public PoolStats at(Instant computedAt, Instant deletedCountedAt) {
            Map<String, Map<SandboxStatus, Long>> groups = new TreeMap<>();
            List<Map.Entry<String, Map<SandboxStatus, Long>>> largestFirst = byGroup.entrySet().stream()
                    .sorted(Comparator.comparingLong(
                                    (Map.Entry<String, Map<SandboxStatus, Long>> e) -> -sum(e.getValue()))
                            .thenComparing(Map.Entry::getKey))
                    .toList();
            for (int i = 0; i < largestFirst.size(); i++) {
                Map.Entry<String, Map<SandboxStatus, Long>> entry = largestFirst.get(i);
                if (i < MAX_GROUPS - 1 || largestFirst.size() <= MAX_GROUPS) {
                    groups.put(entry.getKey(), Map.copyOf(entry.getValue()));
                } else {
                    Map<SandboxStatus, Long> other = new EnumMap<>(SandboxStatus.class);
                    other.putAll(groups.getOrDefault(OTHER, Map.of()));
                    entry.getValue().forEach((status, count) -> other.merge(status, count, Long::sum));
                    groups.put(OTHER, Map.copyOf(other));
                }
            }
            return new PoolStats(computedAt, byStatus, groups, deletedCountedAt);
        }

        private static long sum(Map<SandboxStatus, Long> counts) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
