package io.sandboxbroker.broker.core;

import java.util.List;
import java.util.Optional;

/** The configured webhooks (none: events are still tracked, nothing is sent). */
public record Webhooks(List<Webhook> all) {

    public Webhooks {
        all = List.copyOf(all);
    }

    public Optional<Webhook> named(String name) {
        return all.stream().filter(hook -> hook.name().equals(name)).findFirst();
    }
}
