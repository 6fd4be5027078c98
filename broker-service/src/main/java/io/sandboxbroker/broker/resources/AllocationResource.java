package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.AllocationView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.Allocation;
import io.sandboxbroker.broker.core.AllocationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Where a lab's setup script gets its learner's sandbox. */
@Path("/v1/allocate")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.LAB)
public final class AllocationResource {
    private final AllocationService allocations;

    @Inject
    public AllocationResource(AllocationService allocations) {
        this.allocations = allocations;
    }

    /**
     * 201 with a newly claimed sandbox; 200 with the same sandbox on a retry. 400
     * MISSING_SANDBOX_ID, 403 FORBIDDEN (pool or track outside the token's scope), 409
     * NO_SANDBOXES_AVAILABLE (with Retry-After), 409 IDEMPOTENCY_KEY_CONFLICT, 503 when storage is down.
     */
    @POST
    public Response allocate(@Context HttpHeaders headers, @Context ContainerRequestContext request) {
        Allocation allocation = allocations.allocate(LabHeaders.allocation(headers), LabHeaders.token(request));
        return Response.status(allocation.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(AllocationView.of(allocation.sandbox()))
                .build();
    }
}
