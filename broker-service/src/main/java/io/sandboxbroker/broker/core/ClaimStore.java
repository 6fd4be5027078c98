package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the learner claims and idempotency-key bindings, read and written strongly consistently. */
public interface ClaimStore {

    /** Creates the learner's claim unless one exists; false when it already existed. */
    boolean create(LearnerClaim claim);

    /**
     * Creates the learner's claim unless one exists and, in the same single write, answers with the
     * claim that was already there. Empty means this write created it, also when it finds its own
     * earlier attempt (an SDK retry of a write that was applied), told by {@code writeToken}. A
     * replay thus learns which sandbox the learner holds without a second read of the claim.
     */
    Optional<LearnerClaim> createOrGet(LearnerClaim claim, String writeToken);

    /** The learner's claim, read strongly consistently. */
    Optional<LearnerClaim> find(LearnerId learner);

    /** Moves the claim from one candidate to another; false when it no longer pointed at {@code from}. */
    boolean repoint(LearnerId learner, SandboxId from, SandboxId to);

    /** Binds a custom idempotency key to the learner; false when it is bound to another learner. */
    boolean bindKey(String idempotencyKey, LearnerId learner, Instant now);

    /**
     * Claims created in {@code [from, to)}, all pages, read from an index (eventually consistent:
     * a hint of what to look at, never a decision).
     */
    List<LearnerClaim> createdBetween(Instant from, Instant to);

    /**
     * Removes the claim if it still names the same sandbox and was created at the same moment. A
     * claim already gone counts as removed (our own delete, applied and retried by the SDK).
     */
    boolean removeIfUnchanged(LearnerClaim claim);
}
