package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SandboxRepository} does, run against the in-memory one (fast tests of the
 * core rely on it) and the DynamoDB one on dynalite. Each case gets a fresh, empty repository.
 */
public abstract class SandboxRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    protected SandboxRepository repository;

    /** A fresh, empty repository. */
    protected abstract SandboxRepository newRepository();

    @BeforeEach
    void setUpRepository() {
        repository = newRepository();
    }

    private SandboxId add(String id, String name) {
        SandboxId sandboxId = new SandboxId(id);
        assertThat(repository.addIfAbsent(
                        new ProviderSandbox(
                                sandboxId, name, "identity/accounts/uuid-" + id, "sfdc-" + id, NOW.minusSeconds(3600)),
                        NOW))
                .isTrue();
        return sandboxId;
    }

    private static LearnerClaim claimFor(String learner, SandboxId id) {
        return new LearnerClaim(new LearnerId(learner), id, "key-" + learner, NOW);
    }

    private Sandbox allocated(String id, String learner) {
        SandboxId sandboxId = add(id, "lab-c-" + id);
        return repository
                .claim(sandboxId, claimFor(learner, sandboxId), null, NOW, NOW.plusSeconds(600), "write-" + id)
                .orElseThrow();
    }

    private Sandbox pending(String id) {
        Sandbox held = allocated(id, "learner-" + id);
        return repository.markForDeletion(held, NOW.plusSeconds(1)).orElseThrow();
    }

    @Test
    void addIfAbsent_storesAnAvailableSandboxOnce_andNeverOverwrites() {
        SandboxId id = add("1", "lab-a-0001");
        Sandbox stored = repository.find(id).orElseThrow();

        assertThat(stored.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(stored.name()).isEqualTo("lab-a-0001");
        assertThat(stored.externalId()).isEqualTo("identity/accounts/uuid-1");
        assertThat(stored.sfdcAccountId()).isEqualTo("sfdc-1");
        assertThat(stored.createdAt()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(stored.lastSynced()).isEqualTo(NOW);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.learner()).isNull();

        assertThat(repository.addIfAbsent(new ProviderSandbox(id, "renamed", "x", null, NOW), NOW))
                .isFalse();
        assertThat(repository.find(id).orElseThrow().name()).isEqualTo("lab-a-0001");
        assertThat(repository.find(new SandboxId("404"))).isEmpty();
    }

    @Test
    void availableCandidates_onlyAvailable_matchingThePrefix_atMostTheLimit() {
        add("10", "lab-start-0001");
        add("11", "lab-start-0002");
        add("12", "lab-start-0003");
        add("13", "lab-adventure-0001");
        SandboxId taken = new SandboxId("12");
        repository
                .claim(taken, claimFor("learner-x", taken), null, NOW, NOW.plusSeconds(60), "w")
                .orElseThrow();

        assertThat(candidatesSeen("lab-start", 10)).containsExactlyInAnyOrder("lab-start-0001", "lab-start-0002");
        assertThat(candidatesSeen("", 10)).hasSize(3);
        for (int i = 0; i < 10; i++) {
            assertThat(repository.availableCandidates("", 1)).hasSize(1);
        }
        assertThat(repository.availableCandidates("lab-none", 10)).isEmpty();
    }

    /**
     * The names a few calls propose. One call may answer from one part of the pool only (a shard
     * of the DynamoDB index), never with nothing while something matches.
     */
    private Set<String> candidatesSeen(String prefix, int limit) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            List<Candidate> found = repository.availableCandidates(prefix, limit);
            assertThat(found).isNotEmpty().hasSizeLessThanOrEqualTo(limit);
            found.forEach(candidate -> names.add(candidate.name()));
        }
        return names;
    }

    @Test
    void claim_onlyWhileAvailable_writesTheAllocation() {
        SandboxId id = add("20", "lab-a-0020");

        Optional<Sandbox> first =
                repository.claim(id, claimFor("learner-a", id), "track", NOW, NOW.plusSeconds(100), "token-a");
        Optional<Sandbox> second =
                repository.claim(id, claimFor("learner-b", id), "track", NOW, NOW.plusSeconds(100), "token-b");

        assertThat(first).isPresent();
        Sandbox held = first.get();
        assertThat(held.status()).isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(held.learner()).isEqualTo(new LearnerId("learner-a"));
        assertThat(held.idempotencyKey()).isEqualTo("key-learner-a");
        assertThat(held.trackName()).isEqualTo("track");
        assertThat(held.allocatedAt()).isEqualTo(NOW);
        assertThat(held.expiresAt()).isEqualTo(NOW.plusSeconds(100));
        assertThat(held.claimToken()).isEqualTo("token-a");
        assertThat(held.version()).isEqualTo(2);
        assertThat(second).isEmpty();
        assertThat(repository.find(id)).contains(held);
        assertThat(repository.availableCandidates("", 10)).isEmpty();
        assertThat(repository.claim(new SandboxId("404"), claimFor("learner-c", id), null, NOW, NOW, "t"))
                .isEmpty();
    }

    @Test
    void markForDeletion_onlyByTheHolder_onTheVersionItRead() {
        Sandbox held = allocated("30", "learner-a");
        Sandbox someoneElses = new Sandbox(
                held.id(),
                held.name(),
                held.externalId(),
                held.status(),
                held.sfdcAccountId(),
                new LearnerId("learner-b"),
                held.trackName(),
                held.idempotencyKey(),
                held.allocatedAt(),
                held.expiresAt(),
                null,
                0,
                held.lastSynced(),
                held.createdAt(),
                held.updatedAt(),
                null,
                null,
                null,
                held.claimToken(),
                held.version(),
                0,
                null);

        assertThat(repository.markForDeletion(someoneElses, NOW.plusSeconds(5))).isEmpty();
        Optional<Sandbox> marked = repository.markForDeletion(held, NOW.plusSeconds(5));
        Optional<Sandbox> again = repository.markForDeletion(held, NOW.plusSeconds(6));

        assertThat(marked).isPresent();
        assertThat(marked.get().status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(marked.get().deletionRequestedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(marked.get().learner()).isEqualTo(held.learner());
        assertThat(marked.get().version()).isEqualTo(held.version() + 1);
        assertThat(again).isEmpty();
    }

    @Test
    void expire_onlyTheAllocationThatWasRead() {
        Sandbox held = allocated("35", "learner-a");
        Sandbox available = repository.find(add("36", "lab-a-0036")).orElseThrow();

        assertThat(repository.expire(available, NOW)).isEmpty();
        Optional<Sandbox> expired = repository.expire(held, NOW.plusSeconds(700));

        assertThat(expired).isPresent();
        assertThat(expired.get().status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(expired.get().deletionRequestedAt()).isEqualTo(NOW.plusSeconds(700));
        assertThat(repository.expire(held, NOW.plusSeconds(701))).isEmpty();
    }

    @Test
    void extend_onlyTheAllocationThatWasRead_countsEachExtension() {
        Sandbox held = allocated("36", "learner-a");

        Sandbox extended = repository
                .extend(held, NOW.plusSeconds(1200), NOW.plusSeconds(5))
                .orElseThrow();

        assertThat(extended.status()).isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(extended.expiresAt()).isEqualTo(NOW.plusSeconds(1200));
        assertThat(extended.extensionCount()).isEqualTo(1);
        assertThat(extended.version()).isEqualTo(held.version() + 1);
        assertThat(repository.extend(held, NOW.plusSeconds(1800), NOW.plusSeconds(6)))
                .as("stale copy")
                .isEmpty();
        assertThat(repository.expire(held, NOW.plusSeconds(7)))
                .as("expiry of the copy before the extension")
                .isEmpty();
        Sandbox released =
                repository.markForDeletion(extended, NOW.plusSeconds(8)).orElseThrow();
        assertThat(repository.extend(released, NOW.plusSeconds(1800), NOW.plusSeconds(9)))
                .isEmpty();
    }

    @Test
    void quarantine_availableLeavesThePool_heldAllocationEndsInQuarantine_releaseResumesThePath() {
        SandboxId idle = add("37", "lab-q-0037");
        Sandbox held = allocated("38", "learner-q");

        Sandbox quarantined = repository
                .quarantine(repository.find(idle).orElseThrow(), "suspect", NOW)
                .orElseThrow();
        Sandbox heldAllocation = repository.quarantine(held, "suspect", NOW).orElseThrow();

        assertThat(quarantined.status()).isEqualTo(SandboxStatus.QUARANTINED);
        assertThat(quarantined.quarantine()).isEqualTo(new Quarantine("suspect", SandboxStatus.AVAILABLE));
        assertThat(repository.availableCandidates("lab-q", 10)).isEmpty();
        assertThat(repository.claim(idle, claimFor("learner-z", idle), null, NOW, NOW.plusSeconds(60), "w"))
                .isEmpty();
        assertThat(repository.quarantine(quarantined, "again", NOW)).isEmpty();
        assertThat(heldAllocation.status()).isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(heldAllocation.learner()).isEqualTo(held.learner());

        Sandbox ended =
                repository.markForDeletion(heldAllocation, NOW.plusSeconds(1)).orElseThrow();
        assertThat(ended.status()).isEqualTo(SandboxStatus.QUARANTINED);
        assertThat(ended.quarantine().from()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(repository
                        .releaseQuarantine(ended, NOW.plusSeconds(2))
                        .orElseThrow()
                        .status())
                .isEqualTo(SandboxStatus.PENDING_DELETION);
        Sandbox back =
                repository.releaseQuarantine(quarantined, NOW.plusSeconds(2)).orElseThrow();
        assertThat(back.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(back.quarantine()).isNull();
        assertThat(repository.availableCandidates("lab-q", 10))
                .extracting(Candidate::id)
                .containsExactly(idle);
    }

    @Test
    void markStale_onlyFromAvailable_andReviveOnlyFromStale() {
        SandboxId id = add("40", "lab-s-0001");
        Sandbox held = allocated("41", "learner-a");

        assertThat(repository.markStale(held.id(), NOW)).isEmpty();
        assertThat(repository.revive(id, NOW)).isEmpty();
        Sandbox stale = repository.markStale(id, NOW.plusSeconds(10)).orElseThrow();
        assertThat(stale.status()).isEqualTo(SandboxStatus.STALE);
        assertThat(stale.staleSince()).isEqualTo(NOW.plusSeconds(10));
        assertThat(repository.availableCandidates("lab-s", 10)).isEmpty();
        assertThat(repository.markStale(id, NOW.plusSeconds(11))).isEmpty();

        Sandbox revived = repository.revive(id, NOW.plusSeconds(20)).orElseThrow();
        assertThat(revived.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(revived.staleSince()).isNull();
        assertThat(revived.lastSynced()).isEqualTo(NOW.plusSeconds(20));
        assertThat(candidatesSeen("lab-s", 10)).containsExactly("lab-s-0001");
        assertThat(repository.revive(id, NOW.plusSeconds(21))).isEmpty();
    }

    @Test
    void removeStale_onlyIfStillStaleSinceTheSameMoment() {
        SandboxId id = add("45", "lab-s-0045");
        Sandbox firstTime = repository.markStale(id, NOW).orElseThrow();
        repository.revive(id, NOW.plusSeconds(5)).orElseThrow();
        Sandbox secondTime = repository.markStale(id, NOW.plusSeconds(10)).orElseThrow();

        assertThat(repository.removeStale(firstTime)).isFalse();
        assertThat(repository.removeStale(secondTime)).isTrue();
        assertThat(repository.find(id)).isEmpty();
        assertThat(repository.removeStale(secondTime))
                .as("gone already: a retried delete of our own")
                .isTrue();
    }

    @Test
    void deferDeletion_countsAnAttempt_onlyOnThePendingVersionRead() {
        Sandbox pending = pending("50");

        Sandbox deferred = repository
                .deferDeletion(pending, "HTTP 503", NOW.plusSeconds(300), NOW.plusSeconds(2))
                .orElseThrow();

        assertThat(deferred.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(deferred.deletionRetryCount()).isEqualTo(1);
        assertThat(deferred.nextAttemptAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(deferred.deletionFailure()).isEqualTo("HTTP 503");
        assertThat(deferred.isDeletionDueAt(NOW.plusSeconds(299))).isFalse();
        assertThat(deferred.isDeletionDueAt(NOW.plusSeconds(300))).isTrue();
        assertThat(repository.deferDeletion(pending, "again", NOW.plusSeconds(600), NOW.plusSeconds(3)))
                .isEmpty();
        assertThat(repository
                        .deferDeletion(deferred, "", NOW.plusSeconds(600), NOW.plusSeconds(3))
                        .orElseThrow()
                        .deletionFailure())
                .isEqualTo("unknown");
    }

    @Test
    void markDeleted_andMarkDeletionFailed_onlyOnThePendingVersionRead() {
        Sandbox toDelete = pending("60");
        Sandbox toFail = pending("61");

        Sandbox deleted = repository
                .markDeleted(toDelete, NOW.plusSeconds(5), NOW.plusSeconds(86_400))
                .orElseThrow();
        Sandbox failed = repository
                .markDeletionFailed(toFail, "HTTP 400", NOW.plusSeconds(5))
                .orElseThrow();

        assertThat(deleted.status()).isEqualTo(SandboxStatus.DELETED);
        assertThat(deleted.deletionRetryCount()).isEqualTo(1);
        assertThat(deleted.nextAttemptAt()).isNull();
        assertThat(failed.status()).isEqualTo(SandboxStatus.DELETION_FAILED);
        assertThat(failed.deletionFailure()).isEqualTo("HTTP 400");
        assertThat(failed.deletionRetryCount()).isEqualTo(1);
        assertThat(repository.markDeleted(toDelete, NOW, NOW)).isEmpty();
        assertThat(repository.markDeletionFailed(toFail, "again", NOW)).isEmpty();
        assertThat(repository.markDeleted(toFail, NOW, NOW)).isEmpty();
    }

    @Test
    void retryDeletion_onlyFromDeletionFailed_attemptsFromZero() {
        Sandbox failed = repository
                .markDeletionFailed(pending("70"), "HTTP 400", NOW.plusSeconds(5))
                .orElseThrow();

        Sandbox retried = repository.retryDeletion(failed, NOW.plusSeconds(10)).orElseThrow();

        assertThat(retried.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(retried.deletionRetryCount()).isZero();
        assertThat(retried.isDeletionDueAt(NOW.plusSeconds(10))).isTrue();
        assertThat(repository.retryDeletion(failed, NOW.plusSeconds(11))).isEmpty();
        assertThat(repository.retryDeletion(retried, NOW.plusSeconds(11))).isEmpty();
    }

    @Test
    void deleteIfStatus_onlyInThatStatus() {
        SandboxId id = add("80", "lab-d-0001");

        assertThat(repository.deleteIfStatus(id, SandboxStatus.STALE)).isFalse();
        assertThat(repository.deleteIfStatus(id, SandboxStatus.AVAILABLE)).isTrue();
        assertThat(repository.find(id)).isEmpty();
        assertThat(repository.deleteIfStatus(id, SandboxStatus.AVAILABLE))
                .as("gone already: a retried delete of our own")
                .isTrue();
    }

    @Test
    void forEach_visitsEverySandboxOfTheStatus() {
        for (int i = 0; i < 30; i++) {
            add("9" + i, String.format("lab-e-%04d", i));
        }
        allocated("199", "learner-e");

        List<String> available = new ArrayList<>();
        repository.forEach(SandboxStatus.AVAILABLE, s -> available.add(s.id().value()));
        List<String> allocated = new ArrayList<>();
        repository.forEach(SandboxStatus.ALLOCATED, s -> allocated.add(s.id().value()));

        assertThat(available).hasSize(30).doesNotHaveDuplicates();
        assertThat(allocated).containsExactly("199");
    }

    @Test
    void page_walksEveryStatusWithARoundTrippingCursor() {
        for (int i = 0; i < 7; i++) {
            add("5" + i, String.format("lab-p-%04d", i));
        }
        SandboxId held = new SandboxId("50");
        repository
                .claim(held, claimFor("learner-p", held), null, NOW, NOW.plusSeconds(100), "w")
                .orElseThrow();

        List<String> ids = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            SandboxPage page = repository.page(Optional.empty(), 3, cursor);
            assertThat(page.sandboxes()).hasSizeLessThanOrEqualTo(3);
            page.sandboxes().forEach(s -> ids.add(s.id().value()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent() && pages < 10);

        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(cursor).isEmpty();
    }

    @Test
    void page_ofOneStatus_andAForeignOrBrokenCursorIsAValidationError() {
        add("60", "lab-q-0001");
        add("61", "lab-q-0002");
        allocated("62", "learner-q");

        SandboxPage first = repository.page(Optional.of(SandboxStatus.AVAILABLE), 1, Optional.empty());
        SandboxPage second = repository.page(Optional.of(SandboxStatus.AVAILABLE), 1, first.nextCursor());

        assertThat(first.sandboxes()).hasSize(1);
        assertThat(first.nextCursor()).isPresent();
        assertThat(second.sandboxes()).hasSize(1).doesNotContainAnyElementsOf(first.sandboxes());
        assertThat(second.sandboxes().get(0).status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThatThrownBy(() -> repository.page(Optional.of(SandboxStatus.STALE), 1, first.nextCursor()))
                .isInstanceOfSatisfying(
                        BrokerException.class,
                        e -> assertThat(e.reason()).isEqualTo(BrokerException.Reason.VALIDATION_ERROR));
        assertThatThrownBy(() -> repository.page(Optional.empty(), 1, Optional.of("not-a-cursor!!")))
                .isInstanceOfSatisfying(
                        BrokerException.class,
                        e -> assertThat(e.reason()).isEqualTo(BrokerException.Reason.VALIDATION_ERROR));
    }

    @Test
    void everyChangeAddsOneVersion() {
        SandboxId id = add("85", "lab-v-0001");
        Sandbox stale = repository.markStale(id, NOW).orElseThrow();
        Sandbox revived = repository.revive(id, NOW).orElseThrow();
        Sandbox held = repository
                .claim(id, claimFor("learner-v", id), null, NOW, NOW.plusSeconds(60), "w")
                .orElseThrow();

        assertThat(List.of(stale.version(), revived.version(), held.version())).containsExactly(2L, 3L, 4L);
    }
}
