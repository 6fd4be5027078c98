package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Port: the pool's sandbox items. Every state change is conditional on the state it expects; a
 * failed condition comes back as an empty result, not an exception.
 */
public interface SandboxRepository {

    /** Strongly consistent read. */
    Optional<Sandbox> find(SandboxId id);

    /** Up to {@code limit} ids that were available a moment ago, whose name starts with the prefix. */
    List<Candidate> availableCandidates(String namePrefix, int limit);

    /**
     * A candidate this process read was no longer available when it claimed it: another process
     * took it, or the index was behind. Processes that read the same part of the index keep
     * meeting there; the storage may read elsewhere first from now on. Only an order of reading.
     */
    void candidateGone(String namePrefix, Candidate candidate);

    /** available → allocated to the claim's learner; empty if the sandbox was no longer available. */
    Optional<Sandbox> claim(
            SandboxId id, LearnerClaim claim, String trackName, Instant now, Instant expiresAt, String writeToken);

    /** allocated (same holder, same version) → pending_deletion. */
    Optional<Sandbox> markForDeletion(Sandbox current, Instant now);

    /**
     * allocated (same holder, same version) → allocated until {@code expiresAt}, one more
     * extension counted; empty if anything changed since {@code current} was read.
     */
    Optional<Sandbox> extend(Sandbox current, Instant expiresAt, Instant now);

    /**
     * Adds a sandbox the provider lists, as available, unless the table already has it or it is a
     * retired tenant (then it stays parked as stale, out of the pool); true when it became available.
     */
    boolean addIfAbsent(ProviderSandbox sandbox, Instant now);

    /** One page of sandboxes, optionally of one status, in a stable order. */
    SandboxPage page(Optional<SandboxStatus> status, int limit, Optional<String> cursor);

    /** Visits every sandbox of a status (all pages). */
    void forEach(SandboxStatus status, Consumer<Sandbox> visitor);

    /**
     * Removes the sandbox if it is still in {@code status}; false if it is in another. A sandbox
     * that was ever allocated is remembered as retired first. One already gone counts as removed:
     * the SDK may retry our own delete after it was applied, and the goal (gone) holds either way.
     */
    boolean deleteIfStatus(SandboxId id, SandboxStatus status);

    // --- lifecycle (docs/architecture.md#sandbox-lifecycle): each a conditional write on the state the caller expects
    // ---------

    /** available → stale (the provider no longer lists it), leaving the available index; empty unless still available. */
    Optional<Sandbox> markStale(SandboxId id, Instant now);

    /** stale → available on a random shard (the provider lists it again); empty unless still stale and never retired. */
    Optional<Sandbox> revive(SandboxId id, Instant now);

    /** allocated (same holder, same version) → pending_deletion, by auto-expiry. */
    Optional<Sandbox> expire(Sandbox current, Instant now);

    /** pending_deletion (same version) → pending_deletion with one more attempt, not retried before {@code nextAttemptAt}. */
    Optional<Sandbox> deferDeletion(Sandbox current, String reason, Instant nextAttemptAt, Instant now);

    /**
     * pending_deletion (same version) → deleted; the item stays until {@code removeAt} (DynamoDB
     * TTL). The sandbox is remembered as retired first.
     */
    Optional<Sandbox> markDeleted(Sandbox current, Instant now, Instant removeAt);

    /** pending_deletion (same version) → deletion_failed, with the reason. */
    Optional<Sandbox> markDeletionFailed(Sandbox current, String reason, Instant now);

    /** deletion_failed (same version) → pending_deletion, attempts counted from zero again. */
    Optional<Sandbox> retryDeletion(Sandbox current, Instant now);

    /**
     * Puts an operator's hold on the sandbox as read (same version): available or stale →
     * quarantined (leaving the available index); pending_deletion → quarantined; allocated stays
     * allocated with the hold. Empty if it changed since it was read.
     */
    Optional<Sandbox> quarantine(Sandbox current, String reason, Instant now);

    /**
     * Lifts the hold (same version): quarantined → the status it left (available on a random shard,
     * stale, or pending_deletion); allocated keeps its allocation without the hold.
     */
    Optional<Sandbox> releaseQuarantine(Sandbox current, Instant now);

    /**
     * Removes a stale sandbox if it is still stale since the same moment (not revived and lost
     * again). One already gone counts as removed (our own retried delete, see deleteIfStatus).
     */
    boolean removeStale(Sandbox current);
}
