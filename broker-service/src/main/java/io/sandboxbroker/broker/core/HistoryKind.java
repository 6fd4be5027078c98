package io.sandboxbroker.broker.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What changed a sandbox. The wire and stored form is the lower-case name. */
public enum HistoryKind {
    SYNCED_IN,
    ALLOCATED,
    EXTENDED,
    MARKED,
    EXPIRED,
    DELETION_ATTEMPT_FAILED,
    DELETED,
    DELETION_FAILED,
    RETRIED_BY_ADMIN,
    STALE,
    REVIVED,
    REMOVED,
    QUARANTINED,
    QUARANTINE_RELEASED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HistoryKind> parse(String value) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(value)).findFirst();
    }
}
