package io.sandboxbroker.broker.core;

import java.time.Duration;

/**
 * Times of the background lifecycle other than the cleanup's.
 *
 * @param staleGrace     how long a sandbox may stay stale before the sweep removes it
 * @param claimMinAge    a learner claim younger than this may still be in the middle of its allocation
 * @param claimLookback  how far back the reconciler looks for half-done claims
 * @param statsMaxAge    how old the stored pool statistics may be before a reader recomputes them
 */
public record LifecyclePolicy(Duration staleGrace, Duration claimMinAge, Duration claimLookback, Duration statsMaxAge) {

    public LifecyclePolicy {
        if (claimLookback.compareTo(claimMinAge) <= 0) {
            throw new IllegalArgumentException("claimLookback must be longer than claimMinAge");
        }
    }

    public static LifecyclePolicy defaults() {
        return new LifecyclePolicy(
                Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofHours(3), Duration.ofMinutes(2));
    }
}
