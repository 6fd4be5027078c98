package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.ErrorView;
import io.sandboxbroker.broker.api.HealthView;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.StorageProbe;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Map;

/** Liveness and readiness for load balancers and orchestrators; no token needed. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    static final String DYNAMODB = "dynamodb";

    private final StorageProbe storage;
    private final Clock clock;

    @Inject
    public HealthResource(StorageProbe storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** 200 {@code {"status":"healthy","timestamp":<unix seconds>}} while the process serves requests. */
    @GET
    @Path("healthz")
    public HealthView live() {
        return HealthView.healthy(clock.instant());
    }

    /**
     * 200 {@code {"status":"ready",…,"checks":{"dynamodb":"ok"}}} when DynamoDB answers; otherwise 503
     * {@code "not_ready"} naming the failing check, with the envelope's {@code detail} (code NOT_READY).
     */
    @GET
    @Path("readyz")
    public Response ready() {
        if (storage.reachable()) {
            return Response.ok(HealthView.ready(clock.instant(), Map.of(DYNAMODB, "ok")))
                    .build();
        }
        String requestId = RequestIdFilter.current();
        ErrorView.Detail detail = ErrorView.of(Reason.NOT_READY.name(), "DynamoDB is not reachable", requestId, null)
                .detail();
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIdFilter.HEADER, requestId)
                .entity(HealthView.notReady(clock.instant(), Map.of(DYNAMODB, "unreachable"), detail))
                .build();
    }
}
