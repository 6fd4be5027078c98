package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One sandbox as the pool stores it. Fields that only some states carry are null elsewhere;
 * {@code version} grows by one with every change, for optimistic updates.
 *
 * <p>{@code nextAttemptAt} is when the cleanup may try a pending deletion again (null: now);
 * {@code staleSince} when sync last saw it vanish; {@code deletionFailure} why the cleanup gave up;
 * {@code extensionCount} how often this allocation's lease was extended; {@code quarantine} an
 * operator's hold (null without one).
 */
public record Sandbox(
        SandboxId id,
        String name,
        String externalId,
        SandboxStatus status,
        String sfdcAccountId,
        LearnerId learner,
        String trackName,
        String idempotencyKey,
        Instant allocatedAt,
        Instant expiresAt,
        Instant deletionRequestedAt,
        int deletionRetryCount,
        Instant lastSynced,
        Instant createdAt,
        Instant updatedAt,
        Instant nextAttemptAt,
        Instant staleSince,
        String deletionFailure,
        String claimToken,
        long version,
        int extensionCount,
        Quarantine quarantine) {

    public boolean isHeldBy(LearnerId candidate) {
        return learner != null && learner.equals(candidate);
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }

    /** A pending deletion whose backoff, if any, has run out. */
    public boolean isDeletionDueAt(Instant now) {
        return status == SandboxStatus.PENDING_DELETION && (nextAttemptAt == null || !now.isBefore(nextAttemptAt));
    }

    public Optional<LearnerId> holder() {
        return Optional.ofNullable(learner);
    }
}
