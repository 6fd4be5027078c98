package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.HealthView;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.StorageProbe;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Map;

/** Liveness and readiness for load balancers and orchestrators; no token needed. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final StorageProbe storage;
    private final Clock clock;

    @Inject
    public HealthResource(StorageProbe storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** 200 while the process serves requests. */
    @GET
    @Path("healthz")
    public HealthView live() {
        return new HealthView("ok", clock.instant().toString(), null);
    }

    /** 200 when DynamoDB answers; 503 NOT_READY otherwise. */
    @GET
    @Path("readyz")
    public HealthView ready() {
        if (!storage.reachable()) {
            throw new BrokerException(Reason.NOT_READY, "DynamoDB is not reachable");
        }
        return new HealthView("ready", clock.instant().toString(), Map.of("dynamodb", "ok"));
    }
}
