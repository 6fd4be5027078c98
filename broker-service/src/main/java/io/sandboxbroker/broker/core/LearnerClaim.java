package io.sandboxbroker.broker.core;

import java.time.Instant;

/**
 * The strongly consistent record that decides which sandbox a learner holds. It is written
 * before the sandbox is claimed, naming the candidate; the sandbox item is the proof that the
 * claim completed. A claim whose sandbox went to someone else is re-pointed, never duplicated.
 */
public record LearnerClaim(LearnerId learner, SandboxId sandboxId, String idempotencyKey, Instant createdAt) {}
