package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.edge.Quota;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.function.BiConsumer;

/**
 * {@code X-RateLimit-Limit} / {@code X-RateLimit-Remaining} from the tightest bucket that applied,
 * on every limited response, the 429 included.
 */
public final class RateLimitHeaders implements ContainerResponseFilter {
    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String MESSAGE = "too many requests; retry after the time in retry_after";

    @Inject
    public RateLimitHeaders() {}

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(EdgeAttributes.QUOTA) instanceof Quota quota) {
            write(quota, (name, value) -> response.getHeaders().putSingle(name, value));
        }
    }

    static void write(Quota quota, BiConsumer<String, String> put) {
        if (quota.isLimited()) {
            put.accept(LIMIT, Long.toString(quota.limit()));
            put.accept(REMAINING, Long.toString(quota.remaining()));
        }
    }

    /** Whole seconds, rounded up, at least one: a client that waits this long finds a token. */
    static long retryAfterSeconds(Quota quota) {
        long nanos = quota.retryAfter().toNanos();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
