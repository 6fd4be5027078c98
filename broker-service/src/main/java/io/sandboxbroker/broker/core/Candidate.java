package io.sandboxbroker.broker.core;

/** A sandbox that was available when the index was read; its name decides its lab duration. */
public record Candidate(SandboxId id, String name) {}
