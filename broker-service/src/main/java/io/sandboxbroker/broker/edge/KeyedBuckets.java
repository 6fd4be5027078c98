package io.sandboxbroker.broker.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a client, a learner, an address), in a bounded map: a bucket idle for
 * {@code idleExpiry} is dropped, since it would have refilled by then anyway, and beyond
 * {@code maxKeys} the least recently used go first, so a flood of fresh keys costs bounded memory.
 * A dropped bucket comes back full, which errs towards letting a client through, never towards
 * refusing one.
 */
public final class KeyedBuckets {
    private final long burst;
    private final long perMinute;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /**
     * @param nanos a monotonic nanosecond clock shared by the buckets and the expiry (tests move it)
     */
    public KeyedBuckets(long burst, long perMinute, Duration idleExpiry, int maxKeys, LongSupplier nanos) {
        this.burst = burst;
        this.perMinute = perMinute;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        Ticker ticker = nanos::getAsLong;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(idleExpiry)
                .maximumSize(maxKeys)
                .ticker(ticker)
                // Maintenance runs on the calling thread: no background pool to own or to race in tests.
                .executor(Runnable::run)
                .build();
    }

    /** Takes one token from {@code key}'s bucket if there is one. */
    public Quota take(String key) {
        ConsumptionProbe probe = buckets.get(key, unused -> newBucket()).tryConsumeAndReturnRemaining(1);
        Duration wait = probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
        return new Quota(probe.isConsumed(), burst, probe.getRemainingTokens(), wait);
    }

    /** How many buckets are held now (after pending evictions). */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(time)
                .build();
    }
}
