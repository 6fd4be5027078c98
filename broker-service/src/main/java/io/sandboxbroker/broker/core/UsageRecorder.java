package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts allocations and releases in memory and adds them to the hourly buckets every few seconds
 * ({@link #flush()}), so the allocation path pays no storage call for them. Each flushed batch keeps
 * its id until its write succeeds: a write that failed after being applied is retried under the same
 * id, which the store recognises, so a count is added once. What a process holds unflushed when it
 * dies is lost: the counts feed rates and summaries, not decisions about sandboxes.
 */
public final class UsageRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    /** Track of allocations that named none. */
    public static final String NO_TRACK = "(none)";

    private final UsageStore store;
    private final Map<Instant, Counts> open = new HashMap<>();
    /** Batches taken from {@link #open} whose write has not succeeded yet, oldest first. */
    private final Map<String, Batch> unwritten = new LinkedHashMap<>();

    private record Batch(Instant hour, UsageCounts counts) {}

    @Inject
    public UsageRecorder(UsageStore store) {
        this.store = store;
    }

    /** A sandbox a learner just got (counted once, by the request that claimed it). */
    public void allocated(Sandbox sandbox) {
        // Worked out before taking the lock every allocating thread shares.
        String group = PoolStats.groupOf(sandbox.name());
        String track = track(sandbox);
        Instant hour = hourOf(sandbox.allocatedAt());
        synchronized (this) {
            Counts counts = open.computeIfAbsent(hour, h -> new Counts());
            counts.allocationsByGroup.merge(group, 1L, Long::sum);
            counts.allocationsByTrack.merge(track, 1L, Long::sum);
        }
    }

    /** A sandbox given back, by its holder or by auto-expiry, at {@code releasedAt}. */
    public synchronized void released(Sandbox sandbox, Instant releasedAt) {
        if (sandbox.allocatedAt() == null) {
            return;
        }
        Counts counts = open.computeIfAbsent(hourOf(releasedAt), h -> new Counts());
        counts.releasesByTrack.merge(track(sandbox), 1L, Long::sum);
        long held =
                Math.max(0, Duration.between(sandbox.allocatedAt(), releasedAt).toSeconds());
        counts.heldSecondsByTrack.merge(track(sandbox), held, Long::sum);
    }

    /** What this process counted but has not stored yet, per hour. */
    public synchronized Map<Instant, UsageCounts> unflushed() {
        Map<Instant, UsageCounts> pending = new HashMap<>();
        unwritten.values().forEach(batch -> pending.merge(batch.hour(), batch.counts(), UsageCounts::plus));
        open.forEach((hour, counts) -> pending.merge(hour, counts.freeze(), UsageCounts::plus));
        return pending;
    }

    /** Writes every unwritten batch; returns false when one failed (it stays for the next flush). */
    public boolean flush() {
        List<Map.Entry<String, Batch>> batches;
        synchronized (this) {
            open.forEach(
                    (hour, counts) -> unwritten.put(UUID.randomUUID().toString(), new Batch(hour, counts.freeze())));
            open.clear();
            batches = new ArrayList<>(unwritten.entrySet());
        }
        boolean allWritten = true;
        for (Map.Entry<String, Batch> batch : batches) {
            try {
                store.add(
                        batch.getKey(),
                        batch.getValue().hour(),
                        batch.getValue().counts());
                synchronized (this) {
                    unwritten.remove(batch.getKey());
                }
            } catch (RuntimeException e) {
                allWritten = false;
                LOG.warn(
                        "action=usage_flush outcome=retry_later batch_id={} hour={} error={}",
                        batch.getKey(),
                        batch.getValue().hour(),
                        e.toString());
            }
        }
        return allWritten;
    }

    private static Instant hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    private static String track(Sandbox sandbox) {
        return sandbox.trackName() == null || sandbox.trackName().isEmpty() ? NO_TRACK : sandbox.trackName();
    }

    private static final class Counts {
        private final Map<String, Long> allocationsByGroup = new HashMap<>();
        private final Map<String, Long> allocationsByTrack = new HashMap<>();
        private final Map<String, Long> releasesByTrack = new HashMap<>();
        private final Map<String, Long> heldSecondsByTrack = new HashMap<>();

        UsageCounts freeze() {
            return new UsageCounts(allocationsByGroup, allocationsByTrack, releasesByTrack, heldSecondsByTrack);
        }
    }
}
