package io.sandboxbroker.broker.core;

import java.util.Map;

/**
 * One pool (name group) against its level: counts from the pool statistics, the allocation rate
 * of the last hour, and how long the available sandboxes last at that rate ({@code secondsToEmpty}
 * null when nothing was allocated, 0 when the pool is empty).
 */
public record PoolHealth(
        String group,
        long available,
        long allocated,
        long pendingDeletion,
        long deletionFailed,
        PoolLevel level,
        long allocationsLastHour,
        Long secondsToEmpty,
        PoolState state) {

    private static final long SECONDS_PER_HOUR = 3600;

    public static PoolHealth of(
            String group, Map<SandboxStatus, Long> counts, PoolLevel level, long allocationsLastHour) {
        long available = counts.getOrDefault(SandboxStatus.AVAILABLE, 0L);
        Long secondsToEmpty;
        if (available == 0) {
            secondsToEmpty = 0L;
        } else if (allocationsLastHour == 0) {
            secondsToEmpty = null;
        } else {
            secondsToEmpty = available * SECONDS_PER_HOUR / allocationsLastHour;
        }
        return new PoolHealth(
                group,
                available,
                counts.getOrDefault(SandboxStatus.ALLOCATED, 0L),
                counts.getOrDefault(SandboxStatus.PENDING_DELETION, 0L),
                counts.getOrDefault(SandboxStatus.DELETION_FAILED, 0L),
                level,
                allocationsLastHour,
                secondsToEmpty,
                PoolState.of(available, level.lowWater()));
    }
}
