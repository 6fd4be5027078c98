package io.sandboxbroker.broker.core;

import java.time.Instant;

/**
 * The history of one finished clean-up: what happened to the sandbox and to its NIOSXaaS
 * services. Kept for a while (TTL) after the sandbox item itself is gone.
 */
public record CleanupRecord(
        SandboxId sandboxId,
        String name,
        String externalId,
        Outcome outcome,
        String detail,
        int attempts,
        CleanupOutcome niosxaas,
        Instant finishedAt) {

    /** How the clean-up ended. */
    public enum Outcome {
        DELETED,
        DELETION_FAILED
    }
}
