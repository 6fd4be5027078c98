package io.sandboxbroker.broker.core;

import java.util.Arrays;
import java.util.Optional;

/** What operators can subscribe a webhook to; the wire form is the dotted name. */
public enum EventType {
    POOL_LOW("pool.low"),
    POOL_EMPTY("pool.empty"),
    POOL_RECOVERED("pool.recovered"),
    SANDBOX_DELETION_FAILED("sandbox.deletion_failed"),
    JOB_STUCK("job.stuck"),
    TENANT_RETIRED_STILL_LISTED("tenant.retired_still_listed");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EventType> parse(String wire) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
    }
}
