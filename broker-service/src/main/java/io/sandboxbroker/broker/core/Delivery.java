package io.sandboxbroker.broker.core;

import java.time.Instant;

/**
 * One event on its way to one webhook: pending until the receiver answered 2xx (delivered) or
 * the attempts ran out (failed). Kept as a record of what was sent.
 */
public record Delivery(Event event, String webhook, int attempts, Instant nextAttemptAt, String lastError) {

    public String key() {
        return event.id() + "#" + webhook;
    }
}
