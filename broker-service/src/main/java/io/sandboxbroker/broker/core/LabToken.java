package io.sandboxbroker.broker.core;

/**
 * The lab token a request came with: its configured name (for logs, metrics and rate limits;
 * never the token itself) and its scope.
 */
public record LabToken(String name, LabScope scope) {
    /** For callers outside HTTP (tools, tests): no name, no limit. */
    public static final LabToken UNSCOPED = new LabToken("-", LabScope.ANY);
}
