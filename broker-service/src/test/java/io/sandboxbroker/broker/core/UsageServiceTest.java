package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Allocation counts: recorded in memory, flushed once per batch, read back as rates and per-track summaries. */
class UsageServiceTest {
    private static final Instant HOUR = Instant.parse("2026-11-27T10:00:00Z");

    private final MutableClock clock = new MutableClock(HOUR);
    private final InMemoryUsageStore store = new InMemoryUsageStore();
    private final UsageRecorder recorder = new UsageRecorder(store);
    private final UsageService usage = new UsageService(store, recorder, clock);

    private static Sandbox allocated(String name, String track, Instant at) {
        return new Sandbox(
                new SandboxId(name),
                name,
                "identity/accounts/" + name,
                SandboxStatus.ALLOCATED,
                null,
                new LearnerId("learner-" + name),
                track,
                null,
                at,
                at.plus(Duration.ofHours(48)),
                null,
                0,
                at,
                at,
                at,
                null,
                null,
                null,
                null,
                1,
                0,
                null);
    }

    private void allocate(int count, String group, String track) {
        for (int i = 0; i < count; i++) {
            recorder.allocated(allocated(group + "-" + String.format("%04d", i), track, clock.instant()));
        }
    }

    @Test
    void unflushedCounts_areReadAtOnce_andFlushedOnesFromTheStore() {
        allocate(3, "lab-a", "dns-basics");
        assertThat(usage.allocationsLastHour()).isEqualTo(Map.of("lab-a", 3L));

        assertThat(usage.flush()).isTrue();

        assertThat(recorder.unflushed()).isEmpty();
        assertThat(store.hours(HOUR, HOUR).get(HOUR).allocationsByGroup()).isEqualTo(Map.of("lab-a", 3L));
        assertThat(usage.allocationsLastHour()).isEqualTo(Map.of("lab-a", 3L));
    }

    @Test
    void aFlushWhoseResponseWasLost_isRetriedUnderTheSameId_andCountsOnce() {
        allocate(4, "lab-a", "dns-basics");
        store.failNextAfterApplying();

        assertThat(usage.flush()).isFalse();
        assertThat(usage.flush()).isTrue();

        assertThat(store.hours(HOUR, HOUR).get(HOUR).allocationsByGroup()).isEqualTo(Map.of("lab-a", 4L));
    }

    @Test
    void aFlushThatFailed_keepsTheCounts_forTheNextFlush() {
        allocate(2, "lab-a", "dns-basics");
        store.failNextBeforeApplying();

        assertThat(usage.flush()).isFalse();
        assertThat(usage.allocationsLastHour())
                .as("still counted while unwritten")
                .isEqualTo(Map.of("lab-a", 2L));
        allocate(1, "lab-a", "dns-basics");
        assertThat(usage.flush()).isTrue();

        assertThat(store.hours(HOUR, HOUR).get(HOUR).allocationsByGroup()).isEqualTo(Map.of("lab-a", 3L));
    }

    @Test
    void lastHour_weighsThePreviousHourByThePartStillInsideTheWindow() {
        allocate(40, "lab-a", "dns-basics");
        usage.flush();
        clock.advance(Duration.ofMinutes(75));
        allocate(5, "lab-a", "dns-basics");

        // 15 minutes into the next hour: 5 now + 40 × 45/60 of the previous hour.
        assertThat(usage.allocationsLastHour()).isEqualTo(Map.of("lab-a", 35L));

        clock.advance(Duration.ofMinutes(60));
        assertThat(usage.allocationsLastHour())
                .as("the first hour is out of the window")
                .isEqualTo(Map.of("lab-a", 4L));
    }

    @Test
    void tracks_countOverADayAndAWeek_andMeanTimeToRelease() {
        allocate(2, "lab-a", "dns-basics");
        Sandbox early = allocated("lab-a-0100", "dns-basics", clock.instant());
        recorder.allocated(early);
        recorder.released(early, clock.instant().plus(Duration.ofMinutes(30)));
        usage.flush();
        clock.advance(Duration.ofDays(2));
        allocate(1, "lab-b", "dhcp-intro");
        Sandbox late = allocated("lab-a-0200", "dns-basics", clock.instant().minus(Duration.ofMinutes(90)));
        recorder.allocated(late);
        recorder.released(late, clock.instant());
        allocate(1, "lab-b", null);

        UsageService.TrackReport report = usage.tracks();

        assertThat(report.tracks())
                .containsExactly(
                        new TrackUsage("dns-basics", 1, 4, 2, 3600L),
                        new TrackUsage("(none)", 1, 1, 0, null),
                        new TrackUsage("dhcp-intro", 1, 1, 0, null));

        clock.advance(Duration.ofDays(6));
        assertThat(usage.tracks().tracks())
                .as("the first day's allocations and release left the week")
                .contains(new TrackUsage("dns-basics", 0, 1, 1, 5400L))
                .extracting(TrackUsage::allocations7d)
                .containsOnly(1L);
    }
}
