package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.ServiceInfoView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /}: what this service is and where its description lives, as the replaced system answered; no token. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceInfoResource {
    private final ServiceInfoView info;

    @Inject
    public ServiceInfoResource() {
        this.info = ServiceInfoView.ofThisBuild();
    }

    @GET
    public ServiceInfoView info() {
        return info;
    }
}
