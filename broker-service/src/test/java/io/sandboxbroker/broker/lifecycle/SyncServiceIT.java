package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Sync against the fake provider over HTTP and a pool table on dynalite. */
class SyncServiceIT extends LifecycleTest {
    @Test
    void sync_newAccounts_addedAsAvailable_nonSandboxAndInactiveIgnored() {
        fake.addSandboxes("lab-new", 3);
        fake.addDistractors();

        SyncService.Result result = life.sync().sync();

        assertThat(result).isEqualTo(new SyncService.Result(3, 3, 0, 0));
        assertThat(life.pool.all(SandboxStatus.AVAILABLE))
                .extracting(Sandbox::name)
                .containsExactlyInAnyOrder("lab-new-0001", "lab-new-0002", "lab-new-0003");
        assertThat(life.sandboxes
                        .page(java.util.Optional.empty(), 100, java.util.Optional.empty())
                        .sandboxes())
                .hasSize(3);
    }

    @Test
    void sync_vanishedAvailable_markedStaleAndOutOfTheAvailableIndex_reappearing_revived() {
        List<Sandbox> seeded = life.seed("lab-vanish", 3);
        Sandbox gone = seeded.get(1);
        fake.removeAccount(Lifecycle.uuid(gone));
        life.clock.advance(Duration.ofMinutes(10));

        SyncService.Result vanished = life.sync().sync();

        assertThat(vanished).isEqualTo(new SyncService.Result(2, 0, 1, 0));
        Sandbox stale = life.find(gone.id());
        assertThat(stale.status()).isEqualTo(SandboxStatus.STALE);
        assertThat(stale.staleSince()).isEqualTo(life.now());
        assertThat(inAvailableIndex(gone)).isFalse();
        assertThat(life.pool.all(SandboxStatus.AVAILABLE)).hasSize(2);

        fake.reviveAccount(Lifecycle.uuid(gone));
        SyncService.Result back = life.sync().sync();

        assertThat(back).isEqualTo(new SyncService.Result(3, 0, 0, 1));
        Sandbox revived = life.find(gone.id());
        assertThat(revived.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(revived.staleSince()).isNull();
        assertThat(inAvailableIndex(gone)).isTrue();
    }

    /** Only items carrying avail_shard are in the sparse available index. */
    private boolean inAvailableIndex(Sandbox sandbox) {
        return TestDynamo.client()
                .getItem(b -> b.tableName(life.table)
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS("SANDBOX#" + sandbox.id()),
                                "sk",
                                AttributeValue.fromS("SANDBOX"))))
                .item()
                .containsKey("avail_shard");
    }

    @Test
    void sync_allocatedPendingAndFailed_neverTouched_listedOrNot() {
        List<Sandbox> seeded = life.seed("lab-held", 4);
        Sandbox allocated = life.allocate(seeded.get(0), "learner-a", life.now().plusSeconds(3600));
        Sandbox pending = life.pending(seeded.get(1));
        Sandbox failed = life.sandboxes
                .markDeletionFailed(life.pending(seeded.get(2)), "test", life.now())
                .orElseThrow();
        Sandbox vanishedAllocated = seeded.get(3);
        Sandbox allocatedGone =
                life.allocate(vanishedAllocated, "learner-b", life.now().plusSeconds(3600));
        fake.removeAccount(Lifecycle.uuid(vanishedAllocated));
        fake.removeAccount(Lifecycle.uuid(pending));

        SyncService.Result result = life.sync().sync();

        assertThat(result.markedStale()).isZero();
        assertThat(result.revived()).isZero();
        assertThat(result.added()).isZero();
        for (Sandbox before : List.of(allocated, pending, failed, allocatedGone)) {
            assertThat(life.find(before.id())).as(before.name()).isEqualTo(before);
        }
    }

    @Test
    void sync_twice_secondRunWritesNothing() {
        life.seed("lab-twice", 3);
        List<Sandbox> before = life.pool.all(SandboxStatus.AVAILABLE);

        assertThat(life.sync().sync()).isEqualTo(new SyncService.Result(3, 0, 0, 0));
        assertThat(life.pool.all(SandboxStatus.AVAILABLE)).containsExactlyInAnyOrderElementsOf(before);
    }
}
