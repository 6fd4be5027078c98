package io.sandboxbroker.broker.api;

import java.time.Instant;

/** Wire form of times: ISO-8601 UTC, or null when unset. */
final class Times {
    private Times() {
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
