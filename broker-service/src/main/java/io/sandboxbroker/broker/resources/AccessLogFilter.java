package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.metrics.HttpMetrics;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One access line and one latency sample per request. The line names the route template, not the
 * path, and no header but the learner id (validated first): tokens and other secrets cannot reach
 * the log from here. 5xx are ERROR, 429 WARN, everything else INFO (a 4xx is the client's mistake,
 * not ours). The fields also go to the logging context, so the JSON layout has them as keys.
 */
public final class AccessLogFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogFilter.class);
    static final String UNROUTED = "(unrouted)";

    private final HttpMetrics metrics;

    @Inject
    public AccessLogFilter(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            long nanos = System.nanoTime() - start;
            // An exception that escaped every mapper becomes Jetty's 500, whatever status was set.
            int status = failed ? 500 : response.getStatus();
            String route = request.getAttribute(EdgeAttributes.ROUTE) instanceof String r ? r : UNROUTED;
            metrics.record(request.getMethod(), route, status, nanos);
            log(request, route, status, TimeUnit.NANOSECONDS.toMillis(nanos));
        }
    }

    private static void log(HttpServletRequest request, String route, int status, long latencyMs) {
        String client = request.getAttribute(EdgeAttributes.CLIENT) instanceof String c ? c : "-";
        Optional<String> learner = LabHeaders.validLearner(
                request.getHeader(LabHeaders.LEARNER), request.getHeader(LabHeaders.LEGACY_LEARNER));
        String method = methodName(request.getMethod());
        MDC.put("client", client);
        learner.ifPresent(id -> MDC.put("learner_id", id));
        MDC.put("method", method);
        MDC.put("route", route);
        MDC.put("status", Integer.toString(status));
        MDC.put("latency_ms", Long.toString(latencyMs));
        try {
            String code = MDC.get(ErrorResponses.ERROR_CODE);
            String format =
                    "action=http method={} route={} status={} latency_ms={} client={} learner_id={} error_code={}";
            Object[] args = {method, route, status, latencyMs, client, learner.orElse("-"), code == null ? "-" : code};
            if (status >= 500) {
                LOG.error(format, args);
            } else if (status == 429) {
                LOG.warn(format, args);
            } else {
                LOG.info(format, args);
            }
        } finally {
            for (String key :
                    new String[] {"learner_id", "method", "route", "status", "latency_ms", ErrorResponses.ERROR_CODE}) {
                MDC.remove(key);
            }
        }
    }

    /** A method as the log shows it: bounded and printable, since the client chose it. */
    private static String methodName(String method) {
        return method != null && method.matches("[A-Z]{1,16}") ? method : "OTHER";
    }
}
