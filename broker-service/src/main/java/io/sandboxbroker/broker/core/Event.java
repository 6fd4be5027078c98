package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Map;

/**
 * Something operators are told about. {@code id} is derived from what happened (not random), so
 * announcing the same happening twice, e.g. after a crash between two writes, yields the same id
 * and one delivery; receivers deduplicate by it too. {@code details} hold strings and numbers.
 */
public record Event(String id, EventType type, Instant at, Map<String, Object> details) {

    public Event {
        details = Map.copyOf(details);
    }
}
