package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.config.CorsConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * CORS for the configured origins only (docs/architecture.md#edge). A preflight is answered here, without a token
 * (browsers never send one on a preflight), with 204; an origin not on the list gets no CORS
 * headers at all, which is how a browser learns it is refused. Bearer tokens travel in a header,
 * not a cookie, so credentials are never allowed.
 */
public final class CorsFilter implements Filter {
    static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Instruqt-Sandbox-ID, X-Track-ID, "
            + "X-Instruqt-Track-ID, X-Sandbox-Name-Prefix, Idempotency-Key";
    static final String EXPOSED_HEADERS = "X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After";

    private final Set<String> origins;
    private final String maxAgeSeconds;

    public CorsFilter(CorsConfig config) {
        this.origins = config.origins();
        this.maxAgeSeconds = Long.toString(config.maxAge().toSeconds());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        boolean allowed = origin != null && origins.contains(origin);
        if (origin != null && !origins.isEmpty()) {
            // Caches must not hand one origin's answer to another.
            response.addHeader("Vary", "Origin");
        }
        if (isPreflight(request)) {
            if (allowed) {
                response.setHeader("Access-Control-Allow-Origin", origin);
                response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
                response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                response.setHeader("Access-Control-Max-Age", maxAgeSeconds);
            }
            request.setAttribute(EdgeAttributes.ROUTE, "(preflight)");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        chain.doFilter(request, response);
    }

    private static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod())
                && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }
}
