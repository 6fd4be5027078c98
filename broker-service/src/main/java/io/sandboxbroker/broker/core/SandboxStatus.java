package io.sandboxbroker.broker.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a sandbox is in its life (docs/architecture.md#sandbox-lifecycle). The wire and stored form is the lower-case name. */
public enum SandboxStatus {
    AVAILABLE,
    ALLOCATED,
    PENDING_DELETION,
    DELETED,
    DELETION_FAILED,
    STALE,
    /** Held by an operator: never allocated, never deleted automatically. */
    QUARANTINED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SandboxStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }
}
