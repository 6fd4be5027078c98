package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Map;

/**
 * Port: allocation counts in hourly buckets, so that rates and per-track summaries are read from a
 * few items instead of from every allocation.
 */
public interface UsageStore {

    /**
     * Adds {@code counts} to the bucket of {@code hour} (the start of a UTC hour) once: a second add
     * with the same {@code batchId} (an SDK retry whose first attempt was applied, or a flush retried
     * after an unclear failure) changes nothing.
     */
    void add(String batchId, Instant hour, UsageCounts counts);

    /** The buckets from {@code firstHour} to {@code lastHour} inclusive; hours without counts are absent. */
    Map<Instant, UsageCounts> hours(Instant firstHour, Instant lastHour);
}
