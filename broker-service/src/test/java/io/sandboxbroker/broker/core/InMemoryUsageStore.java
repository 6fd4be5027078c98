package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hourly usage buckets in memory, with the DynamoDB store's semantics: a batch id is added once.
 * {@code failAfterApplying} makes the next add apply and then throw, as an SDK call does whose
 * response was lost. {@link UsageStoreContract} runs the same cases against both.
 */
public final class InMemoryUsageStore implements UsageStore {
    private final Map<Instant, UsageCounts> hours = new HashMap<>();
    private final Set<String> batches = new HashSet<>();
    private int failuresAfterApplying;
    private int failuresBeforeApplying;

    public synchronized void failNextAfterApplying() {
        failuresAfterApplying++;
    }

    public synchronized void failNextBeforeApplying() {
        failuresBeforeApplying++;
    }

    @Override
    public synchronized void add(String batchId, Instant hour, UsageCounts counts) {
        if (failuresBeforeApplying > 0) {
            failuresBeforeApplying--;
            throw new IllegalStateException("storage unavailable");
        }
        if (batches.add(batchId)) {
            hours.merge(hour, counts, UsageCounts::plus);
        }
        if (failuresAfterApplying > 0) {
            failuresAfterApplying--;
            throw new IllegalStateException("response lost after the write was applied");
        }
    }

    @Override
    public synchronized Map<Instant, UsageCounts> hours(Instant firstHour, Instant lastHour) {
        Map<Instant, UsageCounts> found = new TreeMap<>();
        hours.forEach((hour, counts) -> {
            if (!hour.isBefore(firstHour) && !hour.isAfter(lastHour)) {
                found.put(hour, counts);
            }
        });
        return found;
    }
}
