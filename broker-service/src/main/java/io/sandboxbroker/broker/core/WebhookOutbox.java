package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.List;

/** Port: deliveries waiting to be sent, and the record of each once it was sent or given up. */
public interface WebhookOutbox {

    /** Adds the delivery unless one with its key exists (an event announced twice is delivered once). */
    void enqueue(Delivery delivery);

    /** Pending deliveries whose next attempt is due at {@code now}, oldest first, at most {@code limit}. */
    List<Delivery> due(Instant now, int limit);

    void delivered(Delivery delivery, Instant at);

    void retryLater(Delivery delivery, Instant next, String error);

    void failed(Delivery delivery, Instant at, String error);
}
