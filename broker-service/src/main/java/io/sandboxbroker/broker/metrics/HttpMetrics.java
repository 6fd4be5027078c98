package io.sandboxbroker.broker.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Histogram;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;

/** Latency per method, route template and status: the histogram {@code broker_http_request_duration_seconds}. */
public final class HttpMetrics {
    public static final String DURATION = "broker_http_request_duration_seconds";
    /** Methods are the client's choice: anything else is one label value, not one series each. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private static final double NANOS_PER_SECOND = 1e9;

    private final Histogram duration;

    @Inject
    public HttpMetrics(CollectorRegistry collectors) {
        this.duration = Histogram.build(DURATION, "HTTP request latency on the application port")
                .labelNames("method", "route", "status")
                .buckets(Buckets.LATENCY)
                .register(collectors);
    }

    /** {@code route} must be a template or a fixed word, never a raw path (unbounded series). */
    public void record(String method, String route, int status, long nanos) {
        String m = method == null ? "OTHER" : method.toUpperCase(Locale.ROOT);
        duration.labels(METHODS.contains(m) ? m : "OTHER", MetricNames.value(route), Integer.toString(status))
                .observe(nanos / NANOS_PER_SECOND);
    }
}
