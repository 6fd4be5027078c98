package io.sandboxbroker.broker.resources;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sets the security headers before anything else answers, so that 401, 404, 405, 429 and 500
 * carry them as a 200 does (the system we replace forgot them on its errors).
 */
public final class SecurityHeadersFilter implements Filter {
    @Inject
    public SecurityHeadersFilter() {}

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse http = (HttpServletResponse) response;
        SecurityHeaders.apply(((HttpServletRequest) request).getRequestURI(), http::setHeader);
        chain.doFilter(request, response);
    }
}
