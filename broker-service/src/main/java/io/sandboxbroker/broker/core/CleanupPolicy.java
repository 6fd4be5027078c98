package io.sandboxbroker.broker.core;

import java.time.Duration;

/**
 * How the cleanup paces itself and when it gives up (docs/architecture.md#sandbox-lifecycle).
 *
 * @param batchSize        sandboxes per batch
 * @param batchDelay       wait between batches
 * @param sandboxDelay     wait between two sandboxes of a batch
 * @param maxAttempts      provider deletes tried before a sandbox becomes deletion_failed
 * @param backoffBase      wait before the second attempt; doubles with each further attempt
 * @param backoffMax       the longest wait between attempts
 * @param historyRetention how long deleted sandboxes and clean-up history are kept (DynamoDB TTL)
 */
public record CleanupPolicy(
        int batchSize,
        Duration batchDelay,
        Duration sandboxDelay,
        int maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration historyRetention) {

    public CleanupPolicy {
        if (batchSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("batchSize and maxAttempts must be at least 1");
        }
        if (batchDelay.isNegative()
                || sandboxDelay.isNegative()
                || backoffBase.isNegative()
                || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "delays must not be negative and backoffMax must be at least backoffBase");
        }
    }

    /** Wait after the {@code attempts}-th failed attempt: base, 2×base, 4×base, … capped at max. */
    public Duration backoffAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration wait = backoffBase.multipliedBy(1L << doublings);
        return wait.compareTo(backoffMax) > 0 || wait.isNegative() ? backoffMax : wait;
    }

    /** Wait before the {@code index}-th sandbox of a run (0-based): none first, then per sandbox or per batch. */
    public Duration pauseBefore(int index) {
        if (index == 0) {
            return Duration.ZERO;
        }
        return index % batchSize == 0 ? batchDelay : sandboxDelay;
    }
}
