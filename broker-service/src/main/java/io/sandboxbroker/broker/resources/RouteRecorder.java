package io.sandboxbroker.broker.resources;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Leaves the matched route template ({@code /v1/sandboxes/{id}}, never the raw path) for the access
 * log and the HTTP metrics: bounded in number, and free of ids and of whatever a client typed.
 */
public final class RouteRecorder implements ContainerResponseFilter {
    @Inject
    public RouteRecorder() {}

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo() instanceof ExtendedUriInfo info && info.getMatchedResourceMethod() != null) {
            request.setProperty(EdgeAttributes.ROUTE, template(info.getMatchedTemplates()));
        }
    }

    /** Jersey lists the templates innermost first. */
    static String template(List<UriTemplate> matched) {
        StringBuilder path = new StringBuilder();
        for (int i = matched.size() - 1; i >= 0; i--) {
            String part = matched.get(i).getTemplate();
            if (!part.startsWith("/")) {
                path.append('/');
            }
            path.append(part);
        }
        String joined = path.toString().replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
