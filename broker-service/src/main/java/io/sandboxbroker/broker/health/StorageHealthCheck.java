package io.sandboxbroker.broker.health;

import com.codahale.metrics.health.HealthCheck;
import io.sandboxbroker.broker.core.StorageProbe;
import jakarta.inject.Inject;

/** DynamoDB reachability on the admin port's {@code /healthcheck}. */
public final class StorageHealthCheck extends HealthCheck {
    private final StorageProbe probe;

    @Inject
    public StorageHealthCheck(StorageProbe probe) {
        this.probe = probe;
    }

    @Override
    protected Result check() {
        return probe.reachable() ? Result.healthy() : Result.unhealthy("DynamoDB is not reachable");
    }
}
