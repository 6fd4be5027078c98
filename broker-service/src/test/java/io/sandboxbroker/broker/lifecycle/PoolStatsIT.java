package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stored pool statistics item against the table it summarises. */
class PoolStatsIT extends LifecycleTest {
    private DynamoPoolStatsStore store;
    private PoolService pool;

    @BeforeEach
    void storeAndService() {
        store = new DynamoPoolStatsStore(TestDynamo.client(), life.table);
        pool = new PoolService(life.sandboxes, store, life.retired, LifecyclePolicy.defaults(), life.clock);
    }

    @Test
    void refreshStats_storedItemMatchesTheTable_perStatusAndPerGroup() {
        List<Sandbox> adventure = life.seed("lab-adventure", 6);
        List<Sandbox> quest = life.seed("lab-quest", 3);
        life.allocate(adventure.get(0), "a", life.now().plusSeconds(3600));
        life.allocate(quest.get(0), "b", life.now().plusSeconds(3600));
        life.pending(adventure.get(1));
        life.sandboxes.markStale(adventure.get(2).id(), life.now());

        pool.refreshStats();
        PoolStats stored = store.read().orElseThrow();

        assertThat(stored.total()).isEqualTo(9);
        for (SandboxStatus status : SandboxStatus.values()) {
            assertThat(stored.count(status))
                    .as(status.wire())
                    .isEqualTo(life.pool.all(status).size());
        }
        assertThat(stored.byGroup().get("lab-adventure"))
                .containsEntry(SandboxStatus.AVAILABLE, 3L)
                .containsEntry(SandboxStatus.ALLOCATED, 1L)
                .containsEntry(SandboxStatus.PENDING_DELETION, 1L)
                .containsEntry(SandboxStatus.STALE, 1L);
        assertThat(stored.byGroup().get("lab-quest"))
                .containsEntry(SandboxStatus.AVAILABLE, 2L)
                .containsEntry(SandboxStatus.ALLOCATED, 1L);
        assertThat(stored.computedAt()).isEqualTo(life.now());
    }

    @Test
    void stats_readsTheStoredItemWhileFresh_recomputesWhenOlderThanTheMaximumAge() {
        life.seed("lab-fresh", 2);
        pool.refreshStats();
        life.seed("lab-fresh", 3);
        life.clock.advance(Duration.ofSeconds(30));
        PoolService otherProcess =
                new PoolService(life.sandboxes, store, life.retired, LifecyclePolicy.defaults(), life.clock);

        assertThat(otherProcess.stats().total())
                .as("stored item, not a recount")
                .isEqualTo(2);

        life.clock.advance(LifecyclePolicy.defaults().statsMaxAge());
        assertThat(otherProcess.stats().total()).isEqualTo(5);
        assertThat(store.read().orElseThrow().total()).isEqualTo(5);
    }

    @Test
    void write_olderStatsNeverReplaceNewerOnes() {
        life.seed("lab-order", 1);
        PoolStats older = pool.count();
        life.clock.advance(Duration.ofSeconds(5));
        PoolStats newer = pool.count();

        assertThat(store.write(newer)).isTrue();
        assertThat(store.write(older)).isFalse();
        assertThat(store.read().orElseThrow().computedAt()).isEqualTo(newer.computedAt());
    }

    @Test
    void refreshStats_deletedTombstones_countedHourly_carriedOverInBetween() {
        List<Sandbox> seeded = life.seed("lab-tomb", 4);
        for (Sandbox sandbox : seeded.subList(0, 2)) {
            life.sandboxes
                    .markDeleted(life.pending(sandbox), life.now(), life.now().plus(Duration.ofDays(30)))
                    .orElseThrow();
        }
        assertThat(pool.refreshStats().count(SandboxStatus.DELETED)).isEqualTo(2);
        Instant countedAt = life.now();

        life.sandboxes
                .markDeleted(life.pending(seeded.get(2)), life.now(), life.now().plus(Duration.ofDays(30)))
                .orElseThrow();
        life.clock.advance(Duration.ofSeconds(30));
        PoolStats carried = pool.refreshStats();

        assertThat(carried.count(SandboxStatus.DELETED)).as("not read again").isEqualTo(2);
        assertThat(carried.byGroup().get("lab-tomb"))
                .containsEntry(SandboxStatus.DELETED, 2L)
                .containsEntry(SandboxStatus.AVAILABLE, 1L);
        assertThat(carried.deletedCountedAt()).isEqualTo(countedAt);
        assertThat(store.read().orElseThrow().deletedCountedAt()).isEqualTo(countedAt);

        life.clock.advance(Duration.ofHours(1));
        PoolStats recounted = pool.refreshStats();
        assertThat(recounted.count(SandboxStatus.DELETED)).isEqualTo(3);
        assertThat(recounted.deletedCountedAt()).isEqualTo(life.now());
    }

    @Test
    void write_thousandsOfGroupNames_fitOneItem() {
        PoolStats.Tally tally = new PoolStats.Tally();
        for (int i = 0; i < 20_000; i++) {
            tally.add(
                    "tenant-" + "y".repeat(100) + "-" + Integer.toString(i, 26).replaceAll("[0-9]", "q") + "z",
                    SandboxStatus.values()[i % SandboxStatus.values().length]);
        }
        PoolStats many = tally.at(life.now());

        assertThat(store.write(many)).isTrue();
        assertThat(store.read().orElseThrow().total()).isEqualTo(20_000);
        assertThat(store.read().orElseThrow().byGroup()).hasSizeLessThanOrEqualTo(PoolStats.MAX_GROUPS);
    }
}
