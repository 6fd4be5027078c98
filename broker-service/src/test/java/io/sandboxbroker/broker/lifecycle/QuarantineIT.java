package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationRequest;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.ExpiryService;
import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryKind;
import io.sandboxbroker.broker.core.LabToken;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.QuarantineService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoSandboxHistory;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quarantine on dynalite: against a racing allocation, through release and expiry, and back. */
class QuarantineIT extends LifecycleTest {
    private static final int ROUNDS = 15;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private List<HistoryKind> kinds(Sandbox sandbox) {
        return new DynamoSandboxHistory(TestDynamo.client(), life.table, Duration.ofDays(90))
                .page(sandbox.id(), 100, Optional.empty()).entries().stream()
                        .map(HistoryEntry::kind)
                        .toList();
    }

    @Test
    void quarantine_racingAllocation_neverBoth_aHeldAvailableSandboxIsNeverAllocated() {
        QuarantineService quarantines = new QuarantineService(life.sandboxes, life.clock);
        int quarantinedFirst = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String group = "lab-q" + round;
            Sandbox sandbox = life.seed(group, 1).get(0);
            AllocationService allocations = life.allocations();
            LearnerId learner = new LearnerId("learner-q-" + round);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Throwable> allocating = CompletableFuture.supplyAsync(
                    () -> attempt(
                            start,
                            () -> allocations.allocate(
                                    new AllocationRequest(
                                            learner, Optional.empty(), Optional.of(group), Optional.empty()),
                                    LabToken.UNSCOPED)),
                    threads);
            CompletableFuture<Throwable> holding = CompletableFuture.supplyAsync(
                    () -> attempt(start, () -> quarantines.quarantine(sandbox.id(), "suspect account")), threads);
            Throwable allocation = allocating.join();

            assertThat(holding.join()).isNull();
            Sandbox after = life.find(sandbox.id());
            assertThat(after.quarantine()).isNotNull();
            if (allocation == null) {
                // Allocated first: the learner keeps it, held.
                assertThat(after.status()).isEqualTo(SandboxStatus.ALLOCATED);
                assertThat(after.learner()).isEqualTo(learner);
                assertThat(after.quarantine().from()).isEqualTo(SandboxStatus.ALLOCATED);
                assertThat(kinds(after))
                        .containsExactly(HistoryKind.SYNCED_IN, HistoryKind.ALLOCATED, HistoryKind.QUARANTINED);
            } else {
                quarantinedFirst++;
                assertThat(((BrokerException) allocation).reason()).isEqualTo(Reason.NO_SANDBOXES_AVAILABLE);
                assertThat(after.status()).isEqualTo(SandboxStatus.QUARANTINED);
                assertThat(after.learner()).isNull();
                assertThat(after.quarantine().from()).isEqualTo(SandboxStatus.AVAILABLE);
                assertThat(kinds(after)).containsExactly(HistoryKind.SYNCED_IN, HistoryKind.QUARANTINED);
            }
        }
        assertThat(quarantinedFirst).isBetween(0, ROUNDS);
    }

    @Test
    void heldAllocation_releaseAndExpiryEndInQuarantine_notTheCleanup_andReleaseResumesTheirPath() {
        QuarantineService quarantines = new QuarantineService(life.sandboxes, life.clock);
        AllocationService allocations = life.allocations();
        List<Sandbox> seeded = life.seed("lab-held", 3);
        Sandbox released =
                life.allocate(seeded.get(0), "learner-held-1", life.now().plusSeconds(3600));
        Sandbox overdue =
                life.allocate(seeded.get(1), "learner-held-2", life.now().minus(Duration.ofHours(2)));
        quarantines.quarantine(released.id(), "malware report");
        quarantines.quarantine(overdue.id(), "malware report");
        Sandbox idle = quarantines.quarantine(seeded.get(2).id(), "odd traffic");

        Sandbox marked = allocations.markForDeletion(released.id(), released.learner(), LabToken.UNSCOPED);
        new ExpiryService(life.sandboxes, AllocationPolicy.defaults(), life.clock, life.usage()).run();

        assertThat(marked.status()).isEqualTo(SandboxStatus.QUARANTINED);
        assertThat(life.find(overdue.id()).status()).isEqualTo(SandboxStatus.QUARANTINED);
        assertThat(life.find(overdue.id()).quarantine().from()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(life.pool.all(SandboxStatus.PENDING_DELETION)).isEmpty();
        assertThat(idle.status()).isEqualTo(SandboxStatus.QUARANTINED);
        assertThat(life.sandboxes.availableCandidates("lab-held", 10)).isEmpty();

        assertThat(quarantines.release(released.id()).status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        Sandbox back = quarantines.release(idle.id());
        assertThat(back.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(back.quarantine()).isNull();
        assertThat(life.sandboxes.availableCandidates("lab-held", 10))
                .extracting(c -> c.id())
                .containsExactly(idle.id());
        assertThat(kinds(life.find(released.id())))
                .containsExactly(
                        HistoryKind.SYNCED_IN,
                        HistoryKind.ALLOCATED,
                        HistoryKind.QUARANTINED,
                        HistoryKind.MARKED,
                        HistoryKind.QUARANTINE_RELEASED);
    }

    private static Throwable attempt(CyclicBarrier start, Supplier<?> work) {
        try {
            start.await();
            work.get();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
