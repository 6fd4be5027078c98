package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The one error envelope: {@code {"detail": {"code", "message", "request_id"[, "retry_after"]}}}. */
public record ErrorView(Detail detail) {

    /** What went wrong; {@code retry_after} in seconds when waiting helps. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String code, String message, String requestId, Long retryAfter) {}

    public static ErrorView of(String code, String message, String requestId, Long retryAfter) {
        return new ErrorView(new Detail(code, message, requestId, retryAfter));
    }
}
