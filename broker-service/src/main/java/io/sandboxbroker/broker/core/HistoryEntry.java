package io.sandboxbroker.broker.core;

import java.time.Instant;

/**
 * One change of a sandbox: when, what, from which status to which, who did it ({@code actor}: the
 * token's name for a request, {@code job:<name>} for a job) and the request or job-run id that
 * did it ({@code ref}). {@code version} is the sandbox's version after the change; {@code learner}
 * the holder at that moment, {@code detail} a reason where there is one.
 */
public record HistoryEntry(
        long version,
        Instant at,
        HistoryKind kind,
        SandboxStatus from,
        SandboxStatus to,
        String actor,
        String ref,
        String learner,
        String detail) {}
