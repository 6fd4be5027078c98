package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API description ({@code openapi.json}, written by hand and checked against the resources by
 * a test) and a small viewer for it, all from the jar: nothing is fetched from elsewhere at run
 * time. No token: the description holds no secret.
 */
@Path("/v1")
public final class DocsResource {
    private static final String BASE = "/io/sandboxbroker/broker/docs/";
    private static final Map<String, String> ASSETS = Map.of(
            "viewer.js", "text/javascript; charset=utf-8",
            "viewer.css", "text/css; charset=utf-8");

    private final byte[] spec = load("openapi.json");
    private final byte[] page = load("index.html");
    private final Map<String, byte[]> assets = Map.of("viewer.js", load("viewer.js"), "viewer.css", load("viewer.css"));

    @Inject
    public DocsResource() {}

    /** 200 with the OpenAPI 3 description. */
    @GET
    @Path("/openapi.json")
    public Response spec() {
        return Response.ok(spec, "application/json").build();
    }

    /** 200 with the viewer page. */
    @GET
    @Path("/docs")
    public Response docs() {
        return Response.ok(page, "text/html; charset=utf-8").build();
    }

    /** 200 with the viewer's script or style sheet; 404 NOT_FOUND for anything else. */
    @GET
    @Path("/docs/{asset}")
    public Response asset(@PathParam("asset") String asset) {
        byte[] body = assets.get(asset);
        if (body == null) {
            throw new BrokerException(Reason.NOT_FOUND, "no such endpoint");
        }
        return Response.ok(body, ASSETS.get(asset)).build();
    }

    private static byte[] load(String name) {
        try (InputStream in = DocsResource.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + BASE + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
