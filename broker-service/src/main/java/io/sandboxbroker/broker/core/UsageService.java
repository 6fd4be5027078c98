package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Allocation rates and per-track summaries from the hourly buckets ({@link UsageStore}) plus what
 * this process counted and has not flushed yet. Reads are shared for a few seconds per process, so
 * a busy admin page or scrape costs a handful of item reads, never a pass over the allocations.
 */
public final class UsageService {
    private static final Duration RATE_MAX_AGE = Duration.ofSeconds(10);
    private static final Duration TRACKS_MAX_AGE = Duration.ofSeconds(60);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int HOURS_PER_DAY = 24;
    private static final int HOURS_PER_WEEK = 7 * HOURS_PER_DAY;

    private final UsageStore store;
    private final UsageRecorder recorder;
    private final Clock clock;
    private final AtomicReference<Read> lastRate = new AtomicReference<>();
    private final AtomicReference<Read> lastWeek = new AtomicReference<>();
    /**
     * A flush moves counts from memory to the store; a reader between its store read and its look at
     * memory would miss (or count twice) what moved. Reads and flushes therefore take turns.
     */
    private final Object flushing = new Object();

    /** Buckets as stored at {@code readAt}. */
    private record Read(Instant readAt, Instant first, Map<Instant, UsageCounts> hours) {}

    /**
     * The summary of every track that allocated in the last 7 days, busiest first, and the
     * allocations of each of the last 24 UTC hours (oldest first, the current one last).
     */
    public record TrackReport(Instant computedAt, List<TrackUsage> tracks, List<HourlyAllocations> lastDay) {}

    /** Allocations, all pools together, in the UTC hour starting at {@code hour}. */
    public record HourlyAllocations(Instant hour, long allocations) {}

    @Inject
    public UsageService(UsageStore store, UsageRecorder recorder, Clock clock) {
        this.store = store;
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * Allocations per pool over the last 60 minutes, estimated from two hourly buckets: all of the
     * current hour, plus the previous hour weighted by the part of it still inside the window.
     */
    public Map<String, Long> allocationsLastHour() {
        Instant now = clock.instant();
        Instant current = now.truncatedTo(ChronoUnit.HOURS);
        Instant previous = current.minus(HOUR);
        Map<Instant, UsageCounts> hours;
        synchronized (flushing) {
            hours = withUnflushed(read(lastRate, previous, current, RATE_MAX_AGE));
        }
        double previousWeight = 1.0 - (double) Duration.between(current, now).toMillis() / HOUR.toMillis();
        Map<String, Long> perGroup = new HashMap<>();
        hours.getOrDefault(current, UsageCounts.NONE)
                .allocationsByGroup()
                .forEach((group, count) -> perGroup.merge(group, count, Long::sum));
        hours.getOrDefault(previous, UsageCounts.NONE)
                .allocationsByGroup()
                .forEach((group, count) -> perGroup.merge(group, Math.round(count * previousWeight), Long::sum));
        return perGroup;
    }

    /** Per track: allocations over the last 24 and 168 UTC hours (the current one included), mean time held. */
    public TrackReport tracks() {
        Instant now = clock.instant();
        Instant current = now.truncatedTo(ChronoUnit.HOURS);
        Instant dayStart = current.minus(HOUR.multipliedBy(HOURS_PER_DAY - 1));
        Instant weekStart = current.minus(HOUR.multipliedBy(HOURS_PER_WEEK - 1));
        Map<Instant, UsageCounts> hours;
        synchronized (flushing) {
            hours = withUnflushed(read(lastWeek, weekStart, current, TRACKS_MAX_AGE));
        }
        UsageCounts day = UsageCounts.NONE;
        UsageCounts week = UsageCounts.NONE;
        for (Map.Entry<Instant, UsageCounts> hour : hours.entrySet()) {
            if (hour.getKey().isBefore(weekStart) || hour.getKey().isAfter(current)) {
                continue;
            }
            week = week.plus(hour.getValue());
            if (!hour.getKey().isBefore(dayStart)) {
                day = day.plus(hour.getValue());
            }
        }
        UsageCounts lastDay = day;
        UsageCounts lastWeek = week;
        List<TrackUsage> tracks = lastWeek.allocationsByTrack().keySet().stream()
                .map(track -> summary(track, lastDay, lastWeek))
                .sorted(Comparator.comparingLong(TrackUsage::allocations7d)
                        .reversed()
                        .thenComparing(TrackUsage::track))
                .toList();
        List<HourlyAllocations> lastDayByHour = new ArrayList<>();
        for (Instant hour = dayStart; !hour.isAfter(current); hour = hour.plus(HOUR)) {
            long allocations = hours.getOrDefault(hour, UsageCounts.NONE).allocationsByGroup().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            lastDayByHour.add(new HourlyAllocations(hour, allocations));
        }
        return new TrackReport(now, tracks, List.copyOf(lastDayByHour));
    }

    /**
     * Stores what this process counted (every few seconds, and at shutdown). Its counts move from
     * memory to the store, so the shared reads are dropped: the next reader sees them stored.
     *
     * @return false when a batch could not be written; it is kept for the next flush
     */
    public boolean flush() {
        synchronized (flushing) {
            boolean written = recorder.flush();
            lastRate.set(null);
            lastWeek.set(null);
            return written;
        }
    }

    private static TrackUsage summary(String track, UsageCounts day, UsageCounts week) {
        long releases = week.releasesByTrack().getOrDefault(track, 0L);
        Long meanHeld = releases == 0 ? null : week.heldSecondsByTrack().getOrDefault(track, 0L) / releases;
        return new TrackUsage(
                track,
                day.allocationsByTrack().getOrDefault(track, 0L),
                week.allocationsByTrack().getOrDefault(track, 0L),
                releases,
                meanHeld);
    }

    private Map<Instant, UsageCounts> read(AtomicReference<Read> cache, Instant first, Instant last, Duration maxAge) {
        Instant now = clock.instant();
        Read cached = cache.get();
        if (cached != null
                && cached.first().equals(first)
                && now.isBefore(cached.readAt().plus(maxAge))) {
            return cached.hours();
        }
        Read fresh = new Read(now, first, store.hours(first, last));
        cache.set(fresh);
        return fresh.hours();
    }

    private Map<Instant, UsageCounts> withUnflushed(Map<Instant, UsageCounts> stored) {
        Map<Instant, UsageCounts> hours = new HashMap<>(stored);
        recorder.unflushed().forEach((hour, counts) -> hours.merge(hour, counts, UsageCounts::plus));
        return hours;
    }
}
