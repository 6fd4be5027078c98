package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.edge.Quota;
import io.sandboxbroker.broker.edge.RateLimiter;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.time.Duration;

/**
 * After authentication ({@link AuthFilter} runs first, by priority): the learner's and the
 * client's buckets. Keyed by the token's name, never by anything the client may choose freely;
 * endpoints without a token (health, docs) have no client and are left to the address bucket.
 */
@Priority(Priorities.AUTHORIZATION)
public final class ClientRateLimitFilter implements ContainerRequestFilter {
    private final RateLimiter limiter;

    @Inject
    public ClientRateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getProperty(EdgeAttributes.CLIENT) instanceof String client)) {
            return;
        }
        Quota quota = limiter.client(
                client,
                LabHeaders.validLearner(
                        request.getHeaderString(LabHeaders.LEARNER),
                        request.getHeaderString(LabHeaders.LEGACY_LEARNER)));
        if (request.getProperty(EdgeAttributes.QUOTA) instanceof Quota address) {
            quota = quota.tighter(address);
        }
        request.setProperty(EdgeAttributes.QUOTA, quota);
        if (!quota.allowed()) {
            throw new BrokerException(
                    Reason.RATE_LIMIT_EXCEEDED,
                    RateLimitHeaders.MESSAGE,
                    Duration.ofSeconds(RateLimitHeaders.retryAfterSeconds(quota)));
        }
    }
}
