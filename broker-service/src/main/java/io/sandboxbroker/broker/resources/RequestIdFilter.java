package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.RandomIds;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id, echoed as {@code X-Request-ID} and put in the logging context; a
 * caller's own id is kept when it is short and plain, so lab logs and ours line up.
 */
public final class RequestIdFilter implements Filter {
    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Inject
    public RequestIdFilter() {}

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = choose(((HttpServletRequest) request).getHeader(HEADER));
        ((HttpServletResponse) response).setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            // The whole context: later layers add to it (the client's name), and a pooled thread
            // must not carry one request's names into the next.
            MDC.clear();
        }
    }

    static String choose(String inbound) {
        return inbound != null && SANE.matcher(inbound).matches() ? inbound : RandomIds.next();
    }

    /** The current request's id, or a fresh one outside a request. */
    public static String current() {
        String id = MDC.get(MDC_KEY);
        return id != null ? id : RandomIds.next();
    }
}
