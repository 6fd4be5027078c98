package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.auth.TokenRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/** Puts an {@link AuthFilter} of the right role in front of every method of a {@link Secured} resource. */
@Provider
public final class AuthFeature implements DynamicFeature {
    private final TokenRegistry tokens;

    @Inject
    public AuthFeature(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Secured secured = resource.getResourceClass().getAnnotation(Secured.class);
        if (secured != null) {
            context.register(new AuthFilter(tokens, secured.value()));
        }
    }
}
