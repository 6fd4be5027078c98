package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.edge.Quota;
import io.sandboxbroker.broker.edge.RateLimiter;
import io.sandboxbroker.broker.edge.SourceAddress;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;

/**
 * The per-address bucket, before authentication, so that unauthenticated floods are limited too.
 * Health checks and scrapes are exempt: a load balancer or Prometheus must never be refused.
 * The per-client and per-learner buckets come after authentication ({@link ClientRateLimitFilter}).
 */
public final class AddressRateLimitFilter implements Filter {
    static final Set<String> EXEMPT = Set.of("/healthz", "/readyz", "/metrics");

    private final RateLimiter limiter;
    private final SourceAddress sources;

    @Inject
    public AddressRateLimitFilter(RateLimiter limiter, SourceAddress sources) {
        this.limiter = limiter;
        this.sources = sources;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (EXEMPT.contains(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        String address =
                sources.resolve(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
        Quota quota = limiter.address(address);
        RateLimitHeaders.write(quota, response::setHeader);
        request.setAttribute(EdgeAttributes.QUOTA, quota);
        if (!quota.allowed()) {
            long seconds = RateLimitHeaders.retryAfterSeconds(quota);
            response.setStatus(429);
            response.setContentType("application/json");
            response.setHeader("Retry-After", Long.toString(seconds));
            response.getOutputStream()
                    .write(ErrorResponses.json(
                            Reason.RATE_LIMIT_EXCEEDED.name(),
                            RateLimitHeaders.MESSAGE,
                            RequestIdFilter.current(),
                            seconds));
            return;
        }
        chain.doFilter(request, response);
    }
}
