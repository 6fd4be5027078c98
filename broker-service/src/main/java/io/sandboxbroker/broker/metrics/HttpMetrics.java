package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Latency per method, route template and status: {@code broker_http_request_duration_seconds}. */
public final class HttpMetrics {
    public static final String DURATION = "broker_http_request_duration_seconds";
    /** Methods are the client's choice: anything else is one label value, not one series each. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private final MetricRegistry registry;

    @Inject
    public HttpMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** {@code route} must be a template or a fixed word, never a raw path (unbounded series). */
    public void record(String method, String route, int status, long nanos) {
        String m = method == null ? "OTHER" : method.toUpperCase(Locale.ROOT);
        registry.timer(MetricNames.labelled(DURATION, "method", METHODS.contains(m) ? m : "OTHER", "route", route,
                "status", Integer.toString(status))).update(nanos, TimeUnit.NANOSECONDS);
    }
}
