package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandboxbroker.broker.core.AllocationMetrics.Outcome;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every branch of allocation, on the in-memory ports: each race is staged, not hoped for. */
class AllocationServiceTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static final LearnerId LEARNER = new LearnerId("learner-1");
    private static final LearnerId OTHER = new LearnerId("learner-2");

    private final MutableClock clock = new MutableClock(START);
    private final InMemorySandboxRepository sandboxes = new InMemorySandboxRepository();
    private final InMemoryClaimStore claims = new InMemoryClaimStore();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final UsageRecorder usage = new UsageRecorder(new InMemoryUsageStore());
    private AllocationService service;

    @BeforeEach
    void newService() {
        service = serviceWith(AllocationPolicy.defaults());
    }

    private AllocationService serviceWith(AllocationPolicy policy) {
        return new AllocationService(sandboxes, claims, policy, clock, metrics, () -> 0, usage);
    }

    // The service's entry points in one place, so a change of their signatures touches three lines here.
    private static Allocation allocate(AllocationService via, AllocationRequest request) {
        return via.allocate(request, LabToken.UNSCOPED);
    }

    private Sandbox ownedBy(SandboxId id, LearnerId learner) {
        return service.ownedBy(id, learner, LabToken.UNSCOPED);
    }

    private Sandbox markForDeletion(SandboxId id, LearnerId learner) {
        return service.markForDeletion(id, learner, LabToken.UNSCOPED);
    }

    private SandboxId add(String id, String name) {
        SandboxId sandboxId = new SandboxId(id);
        sandboxes.addIfAbsent(new ProviderSandbox(sandboxId, name, "identity/accounts/" + id, null, START), START);
        return sandboxId;
    }

    private static AllocationRequest request(LearnerId learner) {
        return new AllocationRequest(learner, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Sandbox stored(SandboxId id) {
        return sandboxes.find(id).orElseThrow();
    }

    private void anotherProcessTakesEveryAvailable() {
        for (Candidate taken : sandboxes.availableCandidates("", 1_000)) {
            sandboxes.claim(
                    taken.id(),
                    new LearnerClaim(OTHER, taken.id(), "k", START),
                    null,
                    START,
                    START.plusSeconds(60),
                    "theirs");
        }
    }

    @Test
    void usage_countsTheAllocationOnce_notItsReplay_andTheReleaseWithTheTimeHeld() {
        add("1", "lab-a-0001");
        AllocationRequest request =
                new AllocationRequest(LEARNER, Optional.of("dns-basics"), Optional.empty(), Optional.empty());
        SandboxId id = allocate(service, request).sandbox().id();
        allocate(service, request);
        clock.advance(Duration.ofMinutes(25));

        markForDeletion(id, LEARNER);

        UsageCounts counted = usage.unflushed().get(START.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
        assertThat(counted.allocationsByGroup()).isEqualTo(Map.of("lab-a", 1L));
        assertThat(counted.allocationsByTrack()).isEqualTo(Map.of("dns-basics", 1L));
        assertThat(counted.releasesByTrack()).isEqualTo(Map.of("dns-basics", 1L));
        assertThat(counted.heldSecondsByTrack()).isEqualTo(Map.of("dns-basics", 25 * 60L));
    }

    @Test
    void newAllocation_claimsOneSandbox_andWritesTheClaimFirst() {
        add("1", "lab-a-0001");
        add("2", "lab-a-0002");

        Allocation allocation = allocate(
                service, new AllocationRequest(LEARNER, Optional.of("dns-basics"), Optional.empty(), Optional.empty()));

        Sandbox held = allocation.sandbox();
        assertThat(allocation.created()).isTrue();
        assertThat(held.status()).isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(held.learner()).isEqualTo(LEARNER);
        assertThat(held.trackName()).isEqualTo("dns-basics");
        assertThat(held.allocatedAt()).isEqualTo(START);
        assertThat(held.expiresAt()).isEqualTo(START.plus(Duration.ofHours(48)));
        assertThat(claims.find(LEARNER).orElseThrow().sandboxId()).isEqualTo(held.id());
        assertThat(claims.find(LEARNER).orElseThrow().idempotencyKey()).isEqualTo(LEARNER.value());
        assertThat(metrics.outcomes).containsExactly(Outcome.CREATED);
    }

    @Test
    void replay_answersTheSameSandbox_sameExpiry_andTakesNoOther() {
        add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        Allocation first = allocate(service, request(LEARNER));
        clock.advance(Duration.ofMinutes(5));

        Allocation again = allocate(service, request(LEARNER));

        assertThat(again.created()).isFalse();
        assertThat(again.sandbox().id()).isEqualTo(first.sandbox().id());
        assertThat(again.sandbox().expiresAt()).isEqualTo(first.sandbox().expiresAt());
        assertThat(sandboxes.availableCandidates("", 10)).hasSize(1);
        assertThat(allocate(service, request(OTHER)).sandbox().id())
                .isNotEqualTo(first.sandbox().id());
        assertThat(metrics.outcomes).containsExactly(Outcome.CREATED, Outcome.REPLAYED, Outcome.CREATED);
    }

    @Test
    void afterACrashBetweenTheTwoWrites_theNextRequestFinishesTheClaim() {
        SandboxId named = add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        claims.create(new LearnerClaim(LEARNER, named, LEARNER.value(), START.minusSeconds(30)));

        Allocation allocation = allocate(service, request(LEARNER));

        assertThat(allocation.created()).isTrue();
        assertThat(allocation.sandbox().id()).isEqualTo(named);
        assertThat(stored(named).learner()).isEqualTo(LEARNER);
        assertThat(sandboxes.availableCandidates("", 10))
                .extracting(Candidate::id)
                .containsExactly(new SandboxId("2"));
    }

    @Test
    void lostRace_theClaimIsRepointedToAnotherCandidate() {
        add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        sandboxes.beforeNextClaim(() -> {
            // Another process takes every candidate this one has seen; sync adds a new sandbox.
            anotherProcessTakesEveryAvailable();
            add("3", "lab-a-0003");
        });

        Allocation allocation = allocate(service, request(LEARNER));

        assertThat(allocation.created()).isTrue();
        assertThat(allocation.sandbox().id()).isEqualTo(new SandboxId("3"));
        assertThat(claims.find(LEARNER).orElseThrow().sandboxId()).isEqualTo(new SandboxId("3"));
        assertThat(metrics.conflicts).isEqualTo(1);
        assertThat(metrics.outcomes).containsExactly(Outcome.CREATED);
        // The lost sandbox is read once (whose is it?); the one read with it is dropped unclaimed,
        // and the re-pointed candidate, fresh from the index, is claimed unread.
        assertThat(sandboxes.reads()).isEqualTo(1);
        // The lost candidate is reported, so the storage can read elsewhere first.
        assertThat(sandboxes.goneCandidates()).singleElement().isIn(new SandboxId("1"), new SandboxId("2"));
    }

    @Test
    void atThePoolsEnd_candidatesAnotherProcessTook_costOneLostRace_notOneEach() {
        for (int i = 1; i <= 40; i++) {
            add(Integer.toString(i), String.format("lab-a-%04d", i));
        }
        allocate(service, request(LEARNER));
        // Another process takes all the rest, those this one holds in its buffer too; sync adds one.
        anotherProcessTakesEveryAvailable();
        SandboxId last = add("41", "lab-a-0041");

        Allocation allocation = allocate(service, request(new LearnerId("learner-3")));

        assertThat(allocation.created()).isTrue();
        assertThat(allocation.sandbox().id()).isEqualTo(last);
        assertThat(sandboxes.goneCandidates()).hasSize(1);
    }

    @Test
    void twinRequest_bothAnswerTheSameSandbox_onlyOneCreatedIt() {
        add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        AllocationService twin = serviceWith(AllocationPolicy.defaults());
        List<Allocation> twins = new ArrayList<>();
        claims.beforeNextCreate(() -> twins.add(allocate(twin, request(LEARNER))));

        Allocation mine = allocate(service, request(LEARNER));

        assertThat(twins).hasSize(1);
        assertThat(twins.get(0).created()).isTrue();
        assertThat(mine.created()).isFalse();
        assertThat(mine.sandbox().id()).isEqualTo(twins.get(0).sandbox().id());
        assertThat(sandboxes.availableCandidates("", 10)).hasSize(1);
    }

    @Test
    void ownClaimAppliedThenRetried_isRecognisedAsCreated() {
        add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        sandboxes.applyNextClaimButLoseTheAnswer();

        Allocation allocation = allocate(service, request(LEARNER));

        assertThat(allocation.created()).isTrue();
        assertThat(allocation.sandbox().learner()).isEqualTo(LEARNER);
        assertThat(claims.find(LEARNER).orElseThrow().sandboxId())
                .isEqualTo(allocation.sandbox().id());
        assertThat(sandboxes.availableCandidates("", 10)).hasSize(1);
        assertThat(metrics.outcomes).containsExactly(Outcome.CREATED);
    }

    @Test
    void repointedClaim_whoseSandboxWentElsewhere_endsOnAFreshOne() {
        SandboxId gone = add("1", "lab-a-0001");
        add("2", "lab-a-0002");
        claims.create(new LearnerClaim(LEARNER, gone, LEARNER.value(), START.minusSeconds(30)));
        sandboxes.claim(gone, new LearnerClaim(OTHER, gone, "k", START), null, START, START.plusSeconds(60), "theirs");

        Allocation allocation = allocate(service, request(LEARNER));

        assertThat(allocation.created()).isTrue();
        assertThat(allocation.sandbox().id()).isEqualTo(new SandboxId("2"));
        assertThat(claims.find(LEARNER).orElseThrow().sandboxId()).isEqualTo(new SandboxId("2"));
        assertThat(stored(gone).learner()).isEqualTo(OTHER);
    }

    @Test
    void emptyPool_stillAnswersTheReplayItOwes() {
        add("1", "lab-a-0001");
        Allocation first = allocate(service, request(LEARNER));

        Allocation replay = allocate(service, request(LEARNER));

        assertThat(sandboxes.availableCandidates("", 10)).isEmpty();
        assertThat(replay.created()).isFalse();
        assertThat(replay.sandbox().id()).isEqualTo(first.sandbox().id());
    }

    @Test
    void emptyPool_newLearner_isToldToComeBack() {
        assertThatThrownBy(() -> allocate(service, request(LEARNER)))
                .isInstanceOfSatisfying(BrokerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_SANDBOXES_AVAILABLE);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                });
        assertThat(claims.find(LEARNER)).isEmpty();
        assertThat(metrics.outcomes).containsExactly(Outcome.POOL_EMPTY);
    }

    @Test
    void claimOnAVanishedSandbox_andAnEmptyPool_isPoolEmpty() {
        claims.create(new LearnerClaim(LEARNER, new SandboxId("404"), LEARNER.value(), START));
        add("1", "lab-a-0001");
        Allocation allocation = allocate(service, request(LEARNER));
        assertThat(allocation.sandbox().id()).isEqualTo(new SandboxId("1"));

        claims.create(new LearnerClaim(OTHER, new SandboxId("405"), OTHER.value(), START));
        assertThatThrownBy(() -> allocate(service, request(OTHER)))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SANDBOXES_AVAILABLE));
    }

    @Test
    void racesThatNeverSettle_endInServiceUnavailable() {
        add("1", "lab-a-0001");
        AllocationPolicy threeAttempts = new AllocationPolicy(
                Duration.ofHours(48), Map.of(), Duration.ofMinutes(30), Duration.ofSeconds(30), 25, 3);
        // Before every claim of this learner's, another process takes the pool and sync adds one:
        // the pool is never empty, and the learner never wins.
        AtomicInteger synced = new AtomicInteger(1);
        sandboxes.beforeNextClaim(new Runnable() {
            @Override
            public void run() {
                anotherProcessTakesEveryAvailable();
                int next = synced.incrementAndGet();
                add(Integer.toString(next), String.format("lab-a-%04d", next));
                sandboxes.beforeNextClaim(this);
            }
        });

        assertThatThrownBy(() -> allocate(serviceWith(threeAttempts), request(LEARNER)))
                .isInstanceOfSatisfying(BrokerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
                    assertThat(e.retryAfter()).isPresent();
                });
        assertThat(metrics.outcomes).containsExactly(Outcome.FAILED);
    }

    @Test
    void customKey_boundToAnotherLearner_isAConflict_andTakesNothing() {
        add("1", "lab-a-0001");
        allocate(service, new AllocationRequest(OTHER, Optional.empty(), Optional.empty(), Optional.of("shared-key")));

        assertThatThrownBy(() -> allocate(
                        service,
                        new AllocationRequest(LEARNER, Optional.empty(), Optional.empty(), Optional.of("shared-key"))))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IDEMPOTENCY_KEY_CONFLICT));
        assertThat(claims.find(LEARNER)).isEmpty();
        assertThat(metrics.outcomes).containsExactly(Outcome.CREATED, Outcome.KEY_CONFLICT);
    }

    @Test
    void customKey_isStoredOnTheClaimAndTheSandbox() {
        add("1", "lab-a-0001");

        Allocation allocation = allocate(
                service, new AllocationRequest(LEARNER, Optional.empty(), Optional.empty(), Optional.of("my-key")));

        assertThat(allocation.sandbox().idempotencyKey()).isEqualTo("my-key");
        assertThat(claims.find(LEARNER).orElseThrow().idempotencyKey()).isEqualTo("my-key");
    }

    @Test
    void namePrefix_onlyMatchingSandboxes_withTheirGroupsDuration() {
        add("1", "lab-start-0001");
        add("2", "lab-adventure-0001");
        AllocationPolicy byGroup = new AllocationPolicy(
                Duration.ofHours(48),
                Map.of("lab-adventure", Duration.ofHours(8)),
                Duration.ofMinutes(30),
                Duration.ofSeconds(30),
                25,
                20);

        Allocation allocation = allocate(
                serviceWith(byGroup),
                new AllocationRequest(LEARNER, Optional.empty(), Optional.of("lab-adventure"), Optional.empty()));

        assertThat(allocation.sandbox().name()).isEqualTo("lab-adventure-0001");
        assertThat(allocation.sandbox().expiresAt()).isEqualTo(START.plus(Duration.ofHours(8)));
        assertThatThrownBy(() -> allocate(
                        service,
                        new AllocationRequest(OTHER, Optional.empty(), Optional.of("lab-adventure"), Optional.empty())))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SANDBOXES_AVAILABLE));
    }

    @Test
    void ownedBy_onlyTheHolder_neverSaysWhoHoldsIt() {
        add("1", "lab-a-0001");
        SandboxId held = allocate(service, request(LEARNER)).sandbox().id();

        assertThat(ownedBy(held, LEARNER).id()).isEqualTo(held);
        assertThatThrownBy(() -> ownedBy(held, OTHER)).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.NOT_SANDBOX_OWNER);
            assertThat(e.getMessage()).doesNotContain(LEARNER.value());
        });
        assertThatThrownBy(() -> ownedBy(new SandboxId("404"), LEARNER))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SANDBOX_NOT_FOUND));
    }

    @Test
    void markForDeletion_byTheHolder_andARepeatAnswersTheCurrentState() {
        add("1", "lab-a-0001");
        SandboxId held = allocate(service, request(LEARNER)).sandbox().id();
        clock.advance(Duration.ofMinutes(10));

        Sandbox marked = markForDeletion(held, LEARNER);
        clock.advance(Duration.ofMinutes(1));
        Sandbox repeated = markForDeletion(held, LEARNER);

        assertThat(marked.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(marked.deletionRequestedAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(repeated).isEqualTo(marked);
        assertThat(metrics.markedForDeletion).isEqualTo(1);
        assertThatThrownBy(() -> markForDeletion(held, OTHER))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SANDBOX_OWNER));
    }

    @Test
    void markForDeletion_afterExpiry_isRefused() {
        add("1", "lab-a-0001");
        SandboxId held = allocate(service, request(LEARNER)).sandbox().id();
        clock.advance(Duration.ofHours(48).plusSeconds(1));

        assertThatThrownBy(() -> markForDeletion(held, LEARNER))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALLOCATION_EXPIRED));
        assertThat(stored(held).status()).isEqualTo(SandboxStatus.ALLOCATED);
    }

    /** Counts what the service reports. */
    private static final class RecordingMetrics implements AllocationMetrics {
        final List<Outcome> outcomes = new ArrayList<>();
        int conflicts;
        int markedForDeletion;

        @Override
        public synchronized void allocation(Outcome outcome, Duration latency, long storageCalls) {
            outcomes.add(outcome);
        }

        @Override
        public void allocationBy(String tokenName, Outcome outcome) {}

        @Override
        public synchronized void conflict() {
            conflicts++;
        }

        @Override
        public synchronized void markedForDeletion() {
            markedForDeletion++;
        }
    }
}
