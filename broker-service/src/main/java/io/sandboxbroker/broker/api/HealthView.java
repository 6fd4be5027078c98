package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;

/**
 * Body of {@code /healthz} and {@code /readyz}, in the shape uptime monitors of the replaced system
 * match on: {@code {"status", "timestamp"[, "checks"]}}. A 503 from {@code /readyz} also carries
 * the error envelope's {@code detail}, so it is an error response like every other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "timestamp", "checks", "detail"})
public record HealthView(String status, long timestamp, Map<String, String> checks, ErrorView.Detail detail) {

    public static HealthView healthy(Instant now) {
        return new HealthView("healthy", now.getEpochSecond(), null, null);
    }

    public static HealthView ready(Instant now, Map<String, String> checks) {
        return new HealthView("ready", now.getEpochSecond(), checks, null);
    }

    public static HealthView notReady(Instant now, Map<String, String> checks, ErrorView.Detail detail) {
        return new HealthView("not_ready", now.getEpochSecond(), checks, detail);
    }
}
