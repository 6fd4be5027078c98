package io.sandboxbroker.broker.edge;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The three kinds of bucket of docs/architecture.md#edge, held in this process only (the WAF rate rule in front
 * of the load balancer is the global limit). A learner's bucket is tried before its client's, so a
 * learner who is already refused does not also drain the bucket every other learner of that
 * client shares; the client's bucket is what stops one client from escaping its limit by
 * inventing learner ids.
 */
public final class RateLimiter {
    private final KeyedBuckets learners;
    private final KeyedBuckets clients;
    private final KeyedBuckets addresses;

    public RateLimiter(RateLimits limits, LongSupplier nanos) {
        Duration idle = limits.idleExpiry();
        this.learners = buckets(limits.perLearner(), idle, limits.maxKeys(), nanos);
        this.clients = buckets(limits.perClient(), idle, limits.maxKeys(), nanos);
        this.addresses = buckets(limits.perAddress(), idle, limits.maxKeys(), nanos);
    }

    public static RateLimiter systemTime(RateLimits limits) {
        return new RateLimiter(limits, System::nanoTime);
    }

    /** Before authentication: one token from the source address's bucket. */
    public Quota address(String address) {
        return addresses.take(address);
    }

    /**
     * After authentication: the learner's bucket under this client (when the request names a valid
     * learner), then the client's.
     */
    public Quota client(String client, Optional<String> learner) {
        Quota quota = Quota.UNLIMITED;
        if (learner.isPresent()) {
            quota = learners.take(client + '\u0000' + learner.get());
            if (!quota.allowed()) {
                return quota;
            }
        }
        return quota.tighter(clients.take(client));
    }

    /** Buckets held per kind, for tests and a gauge. */
    public long size() {
        return learners.size() + clients.size() + addresses.size();
    }

    private static KeyedBuckets buckets(RateLimits.Bucket bucket, Duration idle, int maxKeys, LongSupplier nanos) {
        return new KeyedBuckets(bucket.burst(), bucket.perMinute(), idle, maxKeys, nanos);
    }
}
