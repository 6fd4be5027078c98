package io.sandboxbroker.broker.resources;

/**
 * Request attributes the edge filters pass along. Jersey's request properties are the servlet
 * request's attributes, so a Jersey filter can leave something for a servlet filter and back.
 */
final class EdgeAttributes {
    /** The authenticated client's token name (set by {@link AuthFilter}). */
    static final String CLIENT = AuthFilter.CLIENT_PROPERTY;
    /** The matched route template, e.g. {@code /v1/sandboxes/{id}}. */
    static final String ROUTE = "broker.route";
    /** The tightest {@link io.sandboxbroker.broker.edge.Quota} that applied to the request so far. */
    static final String QUOTA = "broker.quota";

    private EdgeAttributes() {}
}
