package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link UsageStore} does: buckets per hour, sums per counter, each batch id added once. */
public abstract class UsageStoreContract {
    private static final Instant HOUR = Instant.parse("2026-11-27T10:00:00Z");

    protected abstract UsageStore store();

    private static UsageCounts allocations(String group, long count) {
        return new UsageCounts(Map.of(group, count), Map.of("dns-basics", count), Map.of(), Map.of());
    }

    @Test
    void addsSumPerCounter_andHoursAreApart() {
        UsageStore store = store();
        store.add("batch-1", HOUR, allocations("lab-a", 2));
        store.add("batch-2", HOUR, allocations("lab-a", 3).plus(allocations("lab-b", 1)));
        store.add("batch-3", HOUR.plus(Duration.ofHours(1)), allocations("lab-a", 7));

        Map<Instant, UsageCounts> hours = store.hours(HOUR, HOUR.plus(Duration.ofHours(1)));

        assertThat(hours.get(HOUR).allocationsByGroup()).isEqualTo(Map.of("lab-a", 5L, "lab-b", 1L));
        assertThat(hours.get(HOUR).allocationsByTrack()).isEqualTo(Map.of("dns-basics", 6L));
        assertThat(hours.get(HOUR.plus(Duration.ofHours(1))).allocationsByGroup())
                .isEqualTo(Map.of("lab-a", 7L));
        assertThat(store.hours(HOUR.minus(Duration.ofHours(3)), HOUR.minus(Duration.ofHours(1))))
                .isEmpty();
    }

    @Test
    void theSameBatchAddedTwice_countsOnce() {
        UsageStore store = store();
        store.add("batch-1", HOUR, allocations("lab-a", 2));
        store.add("batch-1", HOUR, allocations("lab-a", 2));

        assertThat(store.hours(HOUR, HOUR).get(HOUR).allocationsByGroup()).isEqualTo(Map.of("lab-a", 2L));
    }

    @Test
    void releasesAndHeldSeconds_perTrack() {
        UsageStore store = store();
        store.add(
                "batch-1",
                HOUR,
                new UsageCounts(Map.of(), Map.of(), Map.of("dns-basics", 2L), Map.of("dns-basics", 5400L)));

        UsageCounts counts = store.hours(HOUR, HOUR).get(HOUR);

        assertThat(counts.releasesByTrack()).isEqualTo(Map.of("dns-basics", 2L));
        assertThat(counts.heldSecondsByTrack()).isEqualTo(Map.of("dns-basics", 5400L));
    }

    @Test
    void manyCounters_andAWeekOfHours_roundTrip() {
        UsageStore store = store();
        Map<String, Long> tracks = new HashMap<>();
        for (int i = 0; i < 250; i++) {
            tracks.put("track-" + i, (long) i + 1);
        }
        UsageCounts many = new UsageCounts(Map.of("lab-a", 1L), tracks, tracks, tracks);
        store.add("batch-many", HOUR, many);
        store.add("batch-many", HOUR, many);
        for (int hour = 1; hour < 168; hour++) {
            store.add("batch-hour-" + hour, HOUR.minus(Duration.ofHours(hour)), allocations("lab-a", 1));
        }

        Map<Instant, UsageCounts> week = store.hours(HOUR.minus(Duration.ofHours(167)), HOUR);

        assertThat(week).hasSize(168);
        assertThat(week.get(HOUR).allocationsByTrack()).isEqualTo(tracks);
        assertThat(week.get(HOUR).heldSecondsByTrack()).isEqualTo(tracks);
    }
}
