package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.LabToken;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import org.slf4j.MDC;

/** Admits a request whose bearer token belongs to the endpoint's role; names the client for logs. */
@Priority(Priorities.AUTHENTICATION)
final class AuthFilter implements ContainerRequestFilter {
    static final String CLIENT_PROPERTY = "broker.client";
    /** The {@link LabToken} of a lab request. */
    static final String LAB_TOKEN_PROPERTY = "broker.lab_token";

    private static final String BEARER = "bearer ";
    private static final int MAX_HEADER = 1024;

    private final TokenRegistry tokens;
    private final Role role;

    AuthFilter(TokenRegistry tokens, Role role) {
        this.tokens = tokens;
        this.role = role;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null
                || header.length() > MAX_HEADER
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new BrokerException(Reason.UNAUTHORIZED, "a valid bearer token is required");
        }
        TokenRegistry.Client client = tokens.identify(
                        header.substring(BEARER.length()).trim())
                .orElseThrow(() -> new BrokerException(Reason.UNAUTHORIZED, "a valid bearer token is required"));
        if (client.role() != role) {
            throw new BrokerException(Reason.FORBIDDEN, "this token may not call this endpoint");
        }
        request.setProperty(CLIENT_PROPERTY, client.name());
        if (client.role() == Role.LAB) {
            request.setProperty(LAB_TOKEN_PROPERTY, new LabToken(client.name(), client.scope()));
        }
        MDC.put("client", client.name());
    }
}
