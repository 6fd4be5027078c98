package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.DeletionView;
import io.sandboxbroker.broker.api.ExtensionView;
import io.sandboxbroker.broker.api.SandboxView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.LeaseService;
import io.sandboxbroker.broker.core.SandboxId;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
    private final LeaseService leases;

    @Inject
    public SandboxResource(AllocationService allocations, LeaseService leases) {
        this.allocations = allocations;
        this.leases = leases;
    }

    /**
     * 200 with the new {@code expires_at}; {@code seconds} is the wanted extra time (the pool's step
     * without it). 403 NOT_SANDBOX_OWNER, FORBIDDEN or ALLOCATION_EXPIRED; 409 LEASE_LIMIT_REACHED
     * or INVALID_STATE (released); 404 SANDBOX_NOT_FOUND; 400 VALIDATION_ERROR for a bad amount.
     */
    @POST
    @Path("/extend")
    public ExtensionView extend(
            @PathParam("id") String id,
            @QueryParam("seconds") String seconds,
            @Context HttpHeaders headers,
            @Context ContainerRequestContext request) {
        return ExtensionView.of(leases.extend(
                new SandboxId(id), LabHeaders.learner(headers), LabHeaders.token(request), ExtraTime.parse(seconds)));
    }

    /**
     * 200 for the holder; 403 FORBIDDEN outside the token's scope; 403 NOT_SANDBOX_OWNER for anyone
     * else; 404 SANDBOX_NOT_FOUND.
     */
    @GET
    public SandboxView get(
            @PathParam("id") String id, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return SandboxView.of(
                allocations.ownedBy(new SandboxId(id), LabHeaders.learner(headers), LabHeaders.token(request)));
    }

    /**
     * 200 with the current status (pending_deletion, or deleted once cleaned up), also on
     * repeats; 403 FORBIDDEN outside the token's scope; 403 NOT_SANDBOX_OWNER or ALLOCATION_EXPIRED;
     * 404 SANDBOX_NOT_FOUND.
     */
    @POST
    @Path("/mark-for-deletion")
    public DeletionView markForDeletion(
            @PathParam("id") String id, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return DeletionView.of(
                allocations.markForDeletion(new SandboxId(id), LabHeaders.learner(headers), LabHeaders.token(request)));
    }
}
