package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.ExpiryService;
import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryKind;
import io.sandboxbroker.broker.core.LabToken;
import io.sandboxbroker.broker.core.LeasePolicy;
import io.sandboxbroker.broker.core.LeaseService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoSandboxHistory;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lease extension against auto-expiry and the holder's release, started together from a barrier
 * many times on dynalite: one write wins, the other answers from the winner's state, and the
 * sandbox's history tells the same story as its item.
 */
class LeaseRaceIT extends LifecycleTest {
    private static final int ROUNDS = 15;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private LeaseService leases() {
        return new LeaseService(
                life.sandboxes, life.allocations(), LeasePolicy.defaults(), AllocationPolicy.defaults(), life.clock);
    }

    private DynamoSandboxHistory history() {
        return new DynamoSandboxHistory(TestDynamo.client(), life.table, Duration.ofDays(90));
    }

    @Test
    void adminExtension_racingAutoExpiry_exactlyOneApplies_historyAgrees() {
        LeaseService leases = leases();
        ExpiryService expiry = new ExpiryService(life.sandboxes, AllocationPolicy.defaults(), life.clock, life.usage());
        List<Sandbox> seeded = life.seed("lab-lease-x", ROUNDS);
        Instant overdue =
                life.now().minus(AllocationPolicy.defaults().gracePeriod()).minusSeconds(60);
        int extendedWins = 0;
        for (Sandbox available : seeded) {
            Sandbox sandbox = life.allocate(available, "learner-x-" + available.id(), overdue);
            Race race = race(
                    () -> leases.extendAsAdmin(sandbox.id(), Optional.of(Duration.ofHours(1))), () -> expiry.run());

            Sandbox after = life.find(sandbox.id());
            List<HistoryKind> kinds = kinds(after);
            if (after.status() == SandboxStatus.ALLOCATED) {
                extendedWins++;
                assertThat(race.first()).isNull();
                assertThat(after.expiresAt()).isEqualTo(life.now().plus(Duration.ofHours(1)));
                assertThat(kinds).containsExactly(HistoryKind.SYNCED_IN, HistoryKind.ALLOCATED, HistoryKind.EXTENDED);
            } else {
                assertThat(after.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
                assertThat(race.first()).isInstanceOf(BrokerException.class);
                assertThat(((BrokerException) race.first()).reason())
                        .isIn(Reason.ALLOCATION_EXPIRED, Reason.INVALID_STATE);
                assertThat(after.expiresAt()).isEqualTo(overdue);
                assertThat(kinds).containsExactly(HistoryKind.SYNCED_IN, HistoryKind.ALLOCATED, HistoryKind.EXPIRED);
            }
            assertThat(race.second()).isNull();
            assertConsistent(after);
        }
        // An extended allocation is not overdue any more: the next expiry run leaves it alone.
        assertThat(expiry.run().expired()).isZero();
        assertThat(extendedWins).isBetween(0, ROUNDS);
    }

    @Test
    void holderExtension_racingMarkForDeletion_neverExtendsAReleasedSandbox_historyAgrees() {
        AllocationService allocations = life.allocations();
        LeaseService leases = leases();
        List<Sandbox> seeded = life.seed("lab-lease-m", ROUNDS);
        for (Sandbox available : seeded) {
            Sandbox sandbox = life.allocate(
                    available, "learner-m-" + available.id(), life.now().plusSeconds(3600));
            Race race = race(
                    () -> leases.extend(sandbox.id(), sandbox.learner(), LabToken.UNSCOPED, Optional.empty()),
                    () -> allocations.markForDeletion(sandbox.id(), sandbox.learner(), LabToken.UNSCOPED));

            Sandbox after = life.find(sandbox.id());
            assertThat(race.second()).isNull();
            assertThat(after.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
            List<HistoryKind> kinds = kinds(after);
            if (race.first() == null) {
                assertThat(after.extensionCount()).isEqualTo(1);
                assertThat(kinds)
                        .containsExactly(
                                HistoryKind.SYNCED_IN, HistoryKind.ALLOCATED, HistoryKind.EXTENDED, HistoryKind.MARKED);
            } else {
                assertThat(((BrokerException) race.first()).reason()).isEqualTo(Reason.INVALID_STATE);
                assertThat(after.extensionCount()).isZero();
                assertThat(kinds).containsExactly(HistoryKind.SYNCED_IN, HistoryKind.ALLOCATED, HistoryKind.MARKED);
            }
            assertConsistent(after);
        }
    }

    @Test
    void holderExtension_boundedByCountAndTotalLease_andRefusedPastExpiry() {
        LeaseService leases = new LeaseService(
                life.sandboxes,
                life.allocations(),
                new LeasePolicy(new LeasePolicy.Rule(Duration.ofHours(1), Duration.ofHours(4), 2), java.util.Map.of()),
                AllocationPolicy.defaults(),
                life.clock);
        List<Sandbox> seeded = life.seed("lab-lease-b", 2);
        Sandbox held = life.allocate(seeded.get(0), "learner-b", life.now().plus(Duration.ofHours(2)));

        Sandbox once = leases.extend(held.id(), held.learner(), LabToken.UNSCOPED, Optional.empty());
        assertThat(once.expiresAt()).isEqualTo(held.expiresAt().plus(Duration.ofHours(1)));
        BrokerException tooFar = catchThrowableOfType(
                () -> leases.extend(held.id(), held.learner(), LabToken.UNSCOPED, Optional.of(Duration.ofHours(2))),
                BrokerException.class);
        assertThat(tooFar.reason()).isEqualTo(Reason.LEASE_LIMIT_REACHED);
        Sandbox twice =
                leases.extend(held.id(), held.learner(), LabToken.UNSCOPED, Optional.of(Duration.ofMinutes(30)));
        assertThat(twice.extensionCount()).isEqualTo(2);
        BrokerException noneLeft = catchThrowableOfType(
                () -> leases.extend(held.id(), held.learner(), LabToken.UNSCOPED, Optional.of(Duration.ofMinutes(1))),
                BrokerException.class);
        assertThat(noneLeft.reason()).isEqualTo(Reason.LEASE_LIMIT_REACHED);
        BrokerException notHolder = catchThrowableOfType(
                () -> leases.extend(
                        held.id(),
                        new io.sandboxbroker.broker.core.LearnerId("someone-else"),
                        LabToken.UNSCOPED,
                        Optional.empty()),
                BrokerException.class);
        assertThat(notHolder.reason()).isEqualTo(Reason.NOT_SANDBOX_OWNER);

        Sandbox late = life.allocate(seeded.get(1), "learner-late", life.now().minusSeconds(1));
        BrokerException expired = catchThrowableOfType(
                () -> leases.extend(late.id(), late.learner(), LabToken.UNSCOPED, Optional.empty()),
                BrokerException.class);
        assertThat(expired.reason()).isEqualTo(Reason.ALLOCATION_EXPIRED);
        assertThat(life.find(late.id()).expiresAt()).isEqualTo(late.expiresAt());
    }

    /** Versions count up by one from the first entry to the item's own, and the last entry ends in its status. */
    private void assertConsistent(Sandbox item) {
        List<HistoryEntry> entries =
                history().page(item.id(), 100, Optional.empty()).entries();
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i).version()).isEqualTo(i + 1L);
        }
        assertThat(entries.get(entries.size() - 1).version()).isEqualTo(item.version());
        assertThat(entries.get(entries.size() - 1).to()).isEqualTo(item.status());
    }

    private List<HistoryKind> kinds(Sandbox item) {
        return history().page(item.id(), 100, Optional.empty()).entries().stream()
                .map(HistoryEntry::kind)
                .toList();
    }

    /** What each side threw (null: it returned). */
    private record Race(Throwable first, Throwable second) {}

    private Race race(Supplier<?> first, Supplier<?> second) {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Throwable> a = CompletableFuture.supplyAsync(() -> attempt(start, first), threads);
        CompletableFuture<Throwable> b = CompletableFuture.supplyAsync(() -> attempt(start, second), threads);
        return new Race(a.join(), b.join());
    }

    private static Throwable attempt(CyclicBarrier start, Supplier<?> work) {
        try {
            start.await();
            work.get();
            return null;
        } catch (Exception e) {
            return e instanceof java.util.concurrent.BrokenBarrierException ? new AssertionError(e) : e;
        }
    }
}
