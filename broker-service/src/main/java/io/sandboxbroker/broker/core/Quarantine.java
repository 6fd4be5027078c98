package io.sandboxbroker.broker.core;

/**
 * An operator's hold on a suspect sandbox: why, and the status it left ({@code available},
 * {@code stale} or {@code pending_deletion}), to which releasing the hold returns it. An allocated
 * sandbox keeps its status and learner while held; its release or expiry then ends in
 * {@code quarantined} (from {@code pending_deletion}) instead of the clean-up's queue.
 */
public record Quarantine(String reason, SandboxStatus from) {}
