package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-process candidate buffer: few index queries, no two threads on the same sandbox. */
class CandidateBufferTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final InMemorySandboxRepository sandboxes = new InMemorySandboxRepository();

    private void addPool(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            sandboxes.addIfAbsent(
                    new ProviderSandbox(
                            new SandboxId(prefix + i),
                            String.format("%s-%04d", prefix, i),
                            "identity/accounts/" + prefix + i,
                            null,
                            START),
                    START);
        }
    }

    /**
     * Takes a candidate and claims it, as an allocation does at once: it leaves the index. Tests of
     * candidates still being claimed take them with {@code next} alone.
     */
    private Candidate take(CandidateBuffer buffer) {
        Candidate candidate = buffer.next("").orElseThrow();
        sandboxes.claim(
                candidate.id(),
                new LearnerClaim(new LearnerId("learner-" + candidate.id().value()), candidate.id(), "k", START),
                null,
                START,
                START.plusSeconds(60),
                "token");
        return candidate;
    }

    @Test
    void oneIndexQueryServesAWholeBatch_withoutRepeats() {
        addPool("lab-a", 100);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);

        List<SandboxId> handedOut = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handedOut.add(take(buffer).id());
        }

        assertThat(handedOut).doesNotHaveDuplicates();
        // A query per batch, two batches per query once batches go fast, plus what is read ahead.
        assertThat(sandboxes.candidateQueries()).isBetween(3, 4);
    }

    @Test
    void theBufferIsRefilledAhead_soNoCallerWaitsForAQueryWhileOthersHold() {
        addPool("lab-a", 100);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 10);
        for (int i = 0; i < 5; i++) {
            take(buffer);
        }
        assertThat(sandboxes.candidateQueries()).isEqualTo(1);

        // Taking the sixth leaves four, under half a batch: that caller reads the next batch.
        take(buffer);
        assertThat(sandboxes.candidateQueries()).isEqualTo(2);
    }

    @Test
    void whenBatchesGoFast_aReadKeepsTwoBatches_andAFullBatchIsKeptAhead() {
        addPool("lab-a", 100);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 10);
        for (int i = 0; i < 6; i++) {
            take(buffer);
        }
        // Two reads within a second: the second keeps two batches. It met the four buffered and the
        // one being handed out (not yet claimed), and kept nineteen others: twenty-three left.
        assertThat(sandboxes.candidateQueries()).isEqualTo(2);
        for (int i = 0; i < 13; i++) {
            take(buffer);
        }
        assertThat(sandboxes.candidateQueries()).isEqualTo(2);

        // The next read comes below a full batch (ten), not below half of one.
        take(buffer);
        assertThat(sandboxes.candidateQueries()).isEqualTo(3);
    }

    @Test
    void aSmallPoolIsNotReadAhead() {
        addPool("lab-a", 3);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 10);

        for (int i = 0; i < 3; i++) {
            take(buffer);
        }

        assertThat(sandboxes.candidateQueries()).isEqualTo(1);
    }

    @Test
    void aBatchOlderThanTwoSecondsIsFetchedAgain() {
        addPool("lab-a", 10);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        take(buffer);

        clock.advance(Duration.ofMillis(1999));
        take(buffer);
        assertThat(sandboxes.candidateQueries()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        take(buffer);
        assertThat(sandboxes.candidateQueries()).isEqualTo(2);
    }

    @Test
    void anEmptyPoolIsAskedEveryTime_neverDecidedFromMemory() {
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);

        assertThat(buffer.next("")).isEmpty();
        addPool("lab-a", 1);

        assertThat(buffer.next("")).map(Candidate::name).contains("lab-a-0000");
        assertThat(sandboxes.candidateQueries()).isEqualTo(2);
    }

    @Test
    void aCandidatePutBackIsHandedOutNextWithoutAQuery() {
        addPool("lab-a", 2);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        Candidate first = buffer.next("").orElseThrow();
        Candidate second = buffer.next("").orElseThrow();

        buffer.putBack("", first);

        assertThat(buffer.next("")).contains(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(sandboxes.candidateQueries()).isEqualTo(1);
    }

    @Test
    void prefixesHaveTheirOwnBatches() {
        addPool("lab-start", 3);
        addPool("lab-adventure", 3);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);

        assertThat(buffer.next("lab-start").orElseThrow().name()).startsWith("lab-start");
        assertThat(buffer.next("lab-adventure").orElseThrow().name()).startsWith("lab-adventure");
        assertThat(buffer.next("lab-start").orElseThrow().name()).startsWith("lab-start");
        assertThat(buffer.next("lab-none")).isEmpty();
    }

    @Test
    void threadsRunningDryTogether_neverGetTheSameCandidate() throws Exception {
        int threads = 16;
        addPool("lab-a", threads);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<Candidate>>> taken = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                taken.add(pool.submit(() -> {
                    start.await();
                    return buffer.next("");
                }));
            }
            start.countDown();
            Set<SandboxId> ids = new HashSet<>();
            for (Future<Optional<Candidate>> future : taken) {
                ids.add(future.get(30, TimeUnit.SECONDS).orElseThrow().id());
            }
            assertThat(ids).hasSize(threads);
            // One refill for all of them, and at most one read ahead (which finds nothing new).
            assertThat(sandboxes.candidateQueries()).isBetween(1, 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefillSkipsCandidatesStillBeingClaimed() {
        addPool("lab-a", 10);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        Set<SandboxId> inFlight = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(buffer.next("").orElseThrow().id());
        }
        clock.advance(Duration.ofSeconds(2));

        // None of the five was claimed yet, so the index still lists them.
        for (int i = 0; i < 5; i++) {
            assertThat(buffer.next("").orElseThrow().id()).isNotIn(inFlight);
        }
    }

    @Test
    void whenOnlyCandidatesBeingClaimedRemain_theyAreHandedOutAgain_notEmpty() {
        addPool("lab-a", 2);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        Candidate first = buffer.next("").orElseThrow();
        Candidate second = buffer.next("").orElseThrow();
        clock.advance(Duration.ofSeconds(2));

        assertThat(buffer.next("").orElseThrow().id()).isIn(first.id(), second.id());
    }

    @Test
    void aLostRace_dropsWhatWasReadWithIt_andTheNextCallerReadsTheIndexAgain() {
        addPool("lab-a", 10);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        Candidate lost = buffer.next("").orElseThrow();
        int queries = sandboxes.candidateQueries();

        buffer.lost("", lost);

        // The index still lists the lost one (nothing was claimed here); it stays skipped.
        assertThat(buffer.next("").orElseThrow().id()).isNotEqualTo(lost.id());
        assertThat(sandboxes.candidateQueries()).isEqualTo(queries + 1);
        assertThat(sandboxes.goneCandidates()).containsExactly(lost.id());
    }

    @Test
    void aCandidatePutBack_isNoLongerSkippedByARefill() {
        addPool("lab-a", 1);
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 5);
        Candidate only = buffer.next("").orElseThrow();
        buffer.putBack("", only);
        clock.advance(Duration.ofSeconds(2));
        addPool("lab-b", 1);

        // The refill reads both; the one put back is not "being claimed", so either may come first,
        // and both are handed out before the buffer is empty.
        Set<SandboxId> handed = new HashSet<>();
        handed.add(buffer.next("").orElseThrow().id());
        handed.add(buffer.next("").orElseThrow().id());
        assertThat(handed).containsExactlyInAnyOrder(only.id(), new SandboxId("lab-b0"));
    }

    @Test
    void concurrentCallers_areNeverToldEmptyWhileThePoolHasSandboxes_norShareOne() throws Exception {
        int threads = 16;
        int each = 30;
        addPool("lab-a", threads * each * 2);
        // Four batches read at most cover what the callers hold: claimed or buffered.
        CandidateBuffer buffer = new CandidateBuffer(sandboxes, clock, 10);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Optional<Candidate>>>> taken = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                taken.add(pool.submit(() -> {
                    start.await();
                    List<Optional<Candidate>> mine = new ArrayList<>();
                    for (int n = 0; n < each; n++) {
                        Optional<Candidate> candidate = buffer.next("");
                        // As an allocation would: the claim takes it out of the index.
                        candidate.ifPresent(c -> sandboxes.claim(
                                c.id(),
                                new LearnerClaim(new LearnerId("l-" + c.id().value()), c.id(), "k", START),
                                null,
                                START,
                                START.plusSeconds(60),
                                "token"));
                        mine.add(candidate);
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<SandboxId> ids = new ArrayList<>();
            for (Future<List<Optional<Candidate>>> future : taken) {
                for (Optional<Candidate> candidate : future.get(60, TimeUnit.SECONDS)) {
                    ids.add(candidate.orElseThrow().id());
                }
            }
            assertThat(ids).hasSize(threads * each).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
