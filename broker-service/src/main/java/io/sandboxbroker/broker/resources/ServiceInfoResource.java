package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.ServiceInfoView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /}: what this service is and where its description lives, as the replaced system answered; no token. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceInfoResource {
    private final ServiceInfoView info;

    public ServiceInfoResource(String version) {
        this.info = new ServiceInfoView("Sandbox Broker", version, "/v1/docs");
    }

    @GET
    public ServiceInfoView info() {
        return info;
    }
}
