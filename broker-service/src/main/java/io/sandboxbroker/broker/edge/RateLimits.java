package io.sandboxbroker.broker.edge;

import java.time.Duration;

/**
 * The sizes of the three kinds of bucket, and how many buckets are kept (built by the
 * configuration's {@code RateLimitConfig.limits()}).
 *
 * @param idleExpiry a bucket untouched this long is dropped (it would be full again anyway)
 * @param maxKeys    at most this many buckets per kind; the least recently used go first
 */
public record RateLimits(Bucket perLearner, Bucket perClient, Bucket perAddress, Duration idleExpiry, int maxKeys) {

    /** {@code burst} requests at once, refilled at {@code perMinute} requests a minute. */
    public record Bucket(long burst, long perMinute) {}
}
