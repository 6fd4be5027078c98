package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One sandbox as the pool stores it. Fields that only some states carry are null elsewhere;
 * {@code version} grows by one with every change, for optimistic updates.
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
        long version) {

    public boolean isHeldBy(LearnerId candidate) {
        return learner != null && learner.equals(candidate);
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }

    /** The name without its trailing number: {@code lab-adventure-0087} is in group {@code lab-adventure}. */
    public String nameGroup() {
        return NameGroup.of(name);
    }

    public Optional<LearnerId> holder() {
        return Optional.ofNullable(learner);
    }
}
