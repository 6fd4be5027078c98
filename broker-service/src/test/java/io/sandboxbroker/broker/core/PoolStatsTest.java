package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-group counts stay bounded whatever the sandboxes are called, and nothing is lost. */
class PoolStatsTest {

    @Test
    void at_namesWithoutNumericSuffix_boundedGroups_restSummedUnderOther() {
        PoolStats.Tally tally = new PoolStats.Tally();
        for (int i = 0; i < 5_000; i++) {
            String letters = Integer.toString(i, 10)
                    .chars()
                    .mapToObj(c -> String.valueOf((char) ('a' + c - '0')))
                    .reduce("", String::concat);
            tally.add("tenant-" + letters + "-without-a-number-" + "x".repeat(200), SandboxStatus.AVAILABLE);
        }
        for (int i = 1; i <= 30; i++) {
            tally.add(String.format("lab-big-%04d", i), SandboxStatus.ALLOCATED);
        }

        PoolStats stats = tally.at(Instant.EPOCH);

        assertThat(stats.byGroup())
                .hasSizeLessThanOrEqualTo(PoolStats.MAX_GROUPS)
                .containsKey(PoolStats.OTHER);
        assertThat(stats.byGroup().keySet())
                .allSatisfy(group -> assertThat(group.length()).isLessThanOrEqualTo(PoolStats.MAX_GROUP_NAME));
        assertThat(stats.byGroup().get("lab-big"))
                .as("the largest group keeps its name")
                .containsEntry(SandboxStatus.ALLOCATED, 30L);
        long perGroupTotal = stats.byGroup().values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        assertThat(perGroupTotal).isEqualTo(stats.total()).isEqualTo(5_030);
    }

    @Test
    void carry_takesOverOneStatusPerGroupAndOverall() {
        PoolStats.Tally earlier = new PoolStats.Tally();
        earlier.add("lab-a-0001", SandboxStatus.DELETED);
        earlier.add("lab-a-0002", SandboxStatus.DELETED);
        earlier.add("lab-a-0003", SandboxStatus.AVAILABLE);
        PoolStats before = earlier.at(Instant.EPOCH);

        PoolStats.Tally now = new PoolStats.Tally();
        now.add("lab-a-0003", SandboxStatus.AVAILABLE);
        now.carry(SandboxStatus.DELETED, before);
        PoolStats after = now.at(Instant.EPOCH.plusSeconds(30), Instant.EPOCH);

        assertThat(after.count(SandboxStatus.DELETED)).isEqualTo(2);
        assertThat(after.byGroup().get("lab-a"))
                .isEqualTo(Map.of(SandboxStatus.DELETED, 2L, SandboxStatus.AVAILABLE, 1L));
        assertThat(after.deletedCountedAt()).isEqualTo(Instant.EPOCH);
    }
}
