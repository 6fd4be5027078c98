package io.sandboxbroker.broker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How long an allocation lasts and how hard allocation tries. {@code expires_at} is computed
 * here once, at allocation, and every other rule reads it from the sandbox (docs/architecture.md#sandbox-lifecycle).
 *
 * @param labDuration   default lifetime of an allocation
 * @param labDurationByGroup per name group overrides of the lifetime
 * @param gracePeriod   how long after expiry auto-expiry waits before reclaiming
 * @param poolEmptyRetryAfter what a caller is told to wait when the pool is empty
 * @param candidateBatch how many candidate ids one index query fetches
 * @param maxAttempts   conditional-write attempts before giving up on a busy pool
 */
public record AllocationPolicy(
        Duration labDuration,
        Map<String, Duration> labDurationByGroup,
        Duration gracePeriod,
        Duration poolEmptyRetryAfter,
        int candidateBatch,
        int maxAttempts) {

    public AllocationPolicy {
        labDurationByGroup = Map.copyOf(labDurationByGroup);
        if (labDuration.isNegative() || labDuration.isZero()) {
            throw new IllegalArgumentException("labDuration must be positive");
        }
        if (candidateBatch < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("candidateBatch and maxAttempts must be at least 1");
        }
    }

    public static AllocationPolicy defaults() {
        return new AllocationPolicy(
                Duration.ofHours(48), Map.of(), Duration.ofMinutes(30), Duration.ofSeconds(30), 25, 20);
    }

    public Instant expiryFor(String sandboxName, Instant allocatedAt) {
        return allocatedAt.plus(labDurationByGroup.getOrDefault(NameGroup.of(sandboxName), labDuration));
    }
}
