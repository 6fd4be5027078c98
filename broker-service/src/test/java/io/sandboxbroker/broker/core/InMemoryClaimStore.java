package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Learner claims and idempotency-key bindings in memory, with the DynamoDB store's semantics:
 * one claim per learner, re-pointed only from the sandbox the caller saw, a key bound to its first
 * learner, times in whole seconds. {@link ClaimStoreContract} runs the same cases against both.
 */
public final class InMemoryClaimStore implements ClaimStore {
    private final Map<LearnerId, LearnerClaim> claims = new HashMap<>();
    private final Map<String, LearnerId> keys = new HashMap<>();
    private final Map<LearnerId, String> writeTokens = new HashMap<>();
    private Runnable beforeNextCreate = () -> {};

    /** Runs {@code interloper} once, just before the next {@code create}/{@code createOrGet} is evaluated (a twin request's write). */
    public synchronized void beforeNextCreate(Runnable interloper) {
        this.beforeNextCreate = interloper;
    }

    @Override
    public boolean create(LearnerClaim claim) {
        return createOrGet(claim, java.util.UUID.randomUUID().toString()).isEmpty();
    }

    @Override
    public Optional<LearnerClaim> createOrGet(LearnerClaim claim, String writeToken) {
        Runnable interloper;
        synchronized (this) {
            interloper = beforeNextCreate;
            beforeNextCreate = () -> {};
        }
        interloper.run();
        synchronized (this) {
            if (claims.containsKey(claim.learner())) {
                return writeToken.equals(writeTokens.get(claim.learner()))
                        ? Optional.empty()
                        : Optional.of(claims.get(claim.learner()));
            }
            claims.put(
                    claim.learner(),
                    new LearnerClaim(
                            claim.learner(),
                            claim.sandboxId(),
                            claim.idempotencyKey(),
                            claim.createdAt().truncatedTo(ChronoUnit.SECONDS)));
            writeTokens.put(claim.learner(), writeToken);
            return Optional.empty();
        }
    }

    @Override
    public synchronized Optional<LearnerClaim> find(LearnerId learner) {
        return Optional.ofNullable(claims.get(learner));
    }

    @Override
    public synchronized boolean repoint(LearnerId learner, SandboxId from, SandboxId to) {
        LearnerClaim current = claims.get(learner);
        if (current == null || !current.sandboxId().equals(from)) {
            return false;
        }
        claims.put(learner, new LearnerClaim(learner, to, current.idempotencyKey(), current.createdAt()));
        return true;
    }

    @Override
    public synchronized boolean bindKey(String idempotencyKey, LearnerId learner, Instant now) {
        LearnerId bound = keys.putIfAbsent(idempotencyKey, learner);
        return bound == null || bound.equals(learner);
    }

    @Override
    public synchronized List<LearnerClaim> createdBetween(Instant from, Instant to) {
        List<LearnerClaim> found = new ArrayList<>();
        for (LearnerClaim claim : claims.values()) {
            if (!claim.createdAt().isBefore(from) && claim.createdAt().isBefore(to)) {
                found.add(claim);
            }
        }
        found.sort(Comparator.comparing(LearnerClaim::createdAt));
        return found;
    }

    @Override
    public synchronized boolean removeIfUnchanged(LearnerClaim claim) {
        LearnerClaim current = claims.get(claim.learner());
        if (current == null) {
            return true;
        }
        if (!current.sandboxId().equals(claim.sandboxId()) || !Objects.equals(current.createdAt(), claim.createdAt())) {
            return false;
        }
        claims.remove(claim.learner());
        writeTokens.remove(claim.learner());
        return true;
    }
}
