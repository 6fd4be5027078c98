package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.DeletionView;
import io.sandboxbroker.broker.api.SandboxView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.SandboxId;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** A learner's view of, and release of, the sandbox it holds. */
@Path("/v1/sandboxes/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.LAB)
public final class SandboxResource {
    private final AllocationService allocations;

    @Inject
    public SandboxResource(AllocationService allocations) {
        this.allocations = allocations;
    }

    /**
     * 200 for the holder; 403 FORBIDDEN outside the token's scope; 403 NOT_SANDBOX_OWNER for anyone
     * else; 404 SANDBOX_NOT_FOUND.
     */
    @GET
    public SandboxView get(@PathParam("id") String id, @Context HttpHeaders headers,
            @Context ContainerRequestContext request) {
        return SandboxView.of(allocations.ownedBy(new SandboxId(id), LabHeaders.learner(headers),
                LabHeaders.token(request)));
    }

    /**
     * 200 with the current status (pending_deletion, or deleted once cleaned up), also on
     * repeats; 403 FORBIDDEN outside the token's scope; 403 NOT_SANDBOX_OWNER or ALLOCATION_EXPIRED;
     * 404 SANDBOX_NOT_FOUND.
     */
    @POST
    @Path("/mark-for-deletion")
    public DeletionView markForDeletion(@PathParam("id") String id, @Context HttpHeaders headers,
            @Context ContainerRequestContext request) {
        return DeletionView.of(allocations.markForDeletion(new SandboxId(id), LabHeaders.learner(headers),
                LabHeaders.token(request)));
    }
}
