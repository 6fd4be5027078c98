package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Body of {@code /healthz} and a ready {@code /readyz}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthView(String status, String timestamp, Map<String, String> checks) {
}
