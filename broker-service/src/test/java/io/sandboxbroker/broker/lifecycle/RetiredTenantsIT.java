package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.Account;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A used tenant never reaches a second learner: the fake provider keeps listing accounts the
 * broker is done with, while their records are bulk-deleted or expire, and sync runs again and
 * again.
 */
class RetiredTenantsIT extends LifecycleTest {
    private static final Pause NO_PAUSE = duration -> {};

    private CleanupService cleanup() {
        return life.cleanup(life.breaking(100), life.niosxaas(false, false), Lifecycle.policy(2), NO_PAUSE);
    }

    private PoolService poolService() {
        return new PoolService(
                life.sandboxes,
                new DynamoPoolStatsStore(TestDynamo.client(), life.table),
                life.retired,
                LifecyclePolicy.defaults(),
                life.clock);
    }

    private void syncSeveralTimes(int times) {
        for (int i = 0; i < times; i++) {
            life.clock.advance(Duration.ofMinutes(10));
            life.sync().sync();
        }
    }

    private void assertNeverAvailable(Sandbox used) {
        assertThat(life.pool.all(SandboxStatus.AVAILABLE))
                .extracting(Sandbox::id)
                .doesNotContain(used.id());
        assertThat(life.sandboxes.availableCandidates("", 100))
                .extracting(c -> c.id())
                .doesNotContain(used.id());
        life.sandboxes
                .find(used.id())
                .ifPresent(record -> assertThat(record.status())
                        .as("record of %s", used.id())
                        .isNotEqualTo(SandboxStatus.AVAILABLE));
    }

    @Test
    void deleteRefused_deletionFailed_bulkDeleted_severalSyncs_neverAvailable_andCounted() {
        List<Sandbox> seeded = life.seed("lab-refused", 2);
        Sandbox used = life.pending(seeded.get(0));
        fake.failAlways(Lifecycle.uuid(used), 400);
        cleanup().run();
        assertThat(life.find(used.id()).status()).isEqualTo(SandboxStatus.DELETION_FAILED);

        PoolService pool = poolService();
        assertThat(pool.bulkDelete(SandboxStatus.DELETION_FAILED)).isEqualTo(1);
        assertThat(life.sandboxes.find(used.id())).as("working record gone").isEmpty();
        assertThat(fake.account(Lifecycle.uuid(used)))
                .as("the provider still lists it")
                .isPresent();

        syncSeveralTimes(3);

        assertNeverAvailable(used);
        assertThat(life.sandboxes.find(used.id()))
                .as("sync did not add it back")
                .isEmpty();
        SyncService.Result last = life.sync().sync();
        assertThat(last.retiredStillListed()).isEqualTo(1);
        assertThat(last.added()).isZero();
        life.clock.advance(Duration.ofMinutes(1));
        assertThat(pool.retiredStillListed().count()).isEqualTo(1);
        assertThat(pool.retiredStillListed().sample()).containsExactly(used.id());
        assertThat(life.find(seeded.get(1).id()).status())
                .as("the unused one stays in the pool")
                .isEqualTo(SandboxStatus.AVAILABLE);
    }

    @Test
    void deletedRecordGoneByTtl_providerListsItAgain_neverAvailable() {
        Sandbox used = life.pending(life.seed("lab-ttl", 1).get(0));
        cleanup().run();
        assertThat(life.find(used.id()).status()).isEqualTo(SandboxStatus.DELETED);
        // The provider answered the delete but lists the account again; then DynamoDB's TTL removes the record.
        assertThat(fake.reviveAccount(Lifecycle.uuid(used))).isTrue();
        removeRecord(used.id());

        syncSeveralTimes(3);

        assertNeverAvailable(used);
        assertThat(life.sandboxes.find(used.id())).isEmpty();
        assertThat(life.sync().sync().retiredStillListed()).isEqualTo(1);
    }

    @Test
    void recordRemovedBehindTheBrokersBack_afterASyncSawItAllocated_neverAvailable() {
        Sandbox used = life.allocate(
                life.seed("lab-backfill", 1).get(0),
                "learner-backfill",
                life.now().plusSeconds(3600));
        SyncService.Result sawIt = life.sync().sync();
        assertThat(sawIt.remembered())
                .as("sync remembers a used sandbox it sees")
                .isEqualTo(1);
        assertThat(life.sync().sync().remembered()).as("once").isZero();
        removeRecord(used.id());

        syncSeveralTimes(2);

        assertNeverAvailable(used);
        assertThat(life.sandboxes.find(used.id())).isEmpty();
    }

    @Test
    void retiredId_racingAdd_staysParkedOutOfThePool_andIsNeverRevived() {
        Sandbox used = life.pending(life.seed("lab-race", 1).get(0));
        life.retired.remember(used, life.now());
        removeRecord(used.id());
        Account account = fake.account(Lifecycle.uuid(used)).orElseThrow();

        // As a sync that read the memory before it was written would do.
        boolean added = life.sandboxes.addIfAbsent(
                new io.sandboxbroker.broker.core.ProviderSandbox(
                        used.id(), account.name(), used.externalId(), null, life.now()),
                life.now());

        assertThat(added).isFalse();
        assertThat(life.find(used.id()).status()).isEqualTo(SandboxStatus.STALE);
        assertThat(life.sandboxes.revive(used.id(), life.now())).isEmpty();
        syncSeveralTimes(2);
        assertNeverAvailable(used);
    }

    @Test
    void brandNewProviderAccount_stillJoinsThePool_nextToRetiredOnes() {
        Sandbox used = life.pending(life.seed("lab-mixed", 1).get(0));
        fake.failAlways(Lifecycle.uuid(used), 400);
        cleanup().run();
        poolService().bulkDelete(SandboxStatus.DELETION_FAILED);
        syncSeveralTimes(1);

        List<Account> fresh = fake.addSandboxes("lab-mixed", 2);
        SyncService.Result result = life.sync().sync();

        assertThat(result.added()).isEqualTo(2);
        assertThat(life.pool.all(SandboxStatus.AVAILABLE))
                .extracting(Sandbox::id)
                .containsExactlyInAnyOrderElementsOf(fresh.stream()
                        .map(a -> new SandboxId(Long.toString(a.cspId())))
                        .toList());
        java.util.Set<SandboxId> candidates = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            life.sandboxes.availableCandidates("lab-mixed", 10).forEach(c -> candidates.add(c.id()));
        }
        assertThat(candidates).as("both in the available index").hasSize(2);
        assertNeverAvailable(used);
    }

    @Test
    void remember_isIdempotent_firstRetirementTimeKept() {
        Sandbox sandbox = life.seed("lab-idem", 1).get(0);
        life.retired.remember(sandbox, life.now());
        life.retired.remember(sandbox, life.now().plusSeconds(60));

        assertThat(life.retired.all()).containsExactly(sandbox.id());
        assertThat(life.retired.isRetired(sandbox.id())).isTrue();
        Map<String, AttributeValue> item = TestDynamo.client()
                .getItem(b -> b.tableName(life.table)
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS("RETIRED"),
                                "sk",
                                AttributeValue.fromS(sandbox.id().value()))))
                .item();
        assertThat(item.get("retired_at").n())
                .isEqualTo(Long.toString(life.now().getEpochSecond()));
        assertThat(item).doesNotContainKeys("ttl", "status", "avail_shard");
    }

    @Test
    void bulkDeleteRacingSync_manyRounds_usedSandboxNeverAvailable() throws Exception {
        PoolService pool = poolService();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 12; round++) {
                List<Sandbox> used = life.seed("lab-racing-" + round, 2).stream()
                        .map(life::pending)
                        .toList();
                used.forEach(sandbox -> fake.failAlways(Lifecycle.uuid(sandbox), 400));
                cleanup().run();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                var deleting = threads.submit(() -> {
                    start.await();
                    return pool.bulkDelete(SandboxStatus.DELETION_FAILED);
                });
                var syncing = threads.submit(() -> {
                    start.await();
                    return life.sync().sync();
                });
                var syncingAgain = threads.submit(() -> {
                    start.await();
                    return life.sync().sync();
                });
                start.countDown();
                assertThat(deleting.get()).isEqualTo(2);
                syncing.get();
                syncingAgain.get();
                life.sync().sync();

                used.forEach(this::assertNeverAvailable);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(life.sync().sync().retiredStillListed()).isEqualTo(24);
    }

    /** What bulk-delete or DynamoDB's TTL does to a record: gone, nothing else touched. */
    private void removeRecord(SandboxId id) {
        TestDynamo.client()
                .deleteItem(b -> b.tableName(life.table)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS("SANDBOX#" + id.value()),
                                "sk",
                                AttributeValue.fromS("SANDBOX"))));
        assertThat(life.sandboxes.find(id)).isEqualTo(Optional.empty());
    }
}
