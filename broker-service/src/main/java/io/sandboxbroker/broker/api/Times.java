package io.sandboxbroker.broker.api;

import java.time.Instant;

/**
 * Wire form of times: an integer of Unix seconds (UTC), or null when unset. The lab scripts in use
 * format {@code expires_at} with Python's {@code time.gmtime}, which takes only a number, and every
 * other body follows so that the API has one time format.
 */
final class Times {
    private Times() {}

    static Long unix(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
