package io.sandboxbroker.broker.core;

import java.util.Set;

/** Where events of the subscribed types are posted, signed with {@code secret} (never logged). */
public record Webhook(String name, String url, String secret, Set<EventType> events) {

    public Webhook {
        events = Set.copyOf(events);
    }

    public boolean wants(EventType type) {
        return events.contains(type);
    }

    @Override
    public String toString() {
        return "Webhook[name=" + name + ", url=" + url + ", events=" + events + "]";
    }
}
