package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.ErrorView;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** Builds every error response of the API in the one envelope. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response of(BrokerException e) {
        return of(status(e.reason()), e.reason().name(), e.getMessage(), e.retryAfter().orElse(null));
    }

    public static Response of(int status, String code, String message, Duration retryAfter) {
        String requestId = RequestIdFilter.current();
        Long seconds = retryAfter == null ? null : Math.max(1, retryAfter.toSeconds());
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIdFilter.HEADER, requestId)
                .entity(ErrorView.of(code, message, requestId, seconds));
        if (seconds != null) {
            response.header("Retry-After", seconds);
        }
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }

    /** The HTTP status of each domain reason. */
    public static int status(Reason reason) {
        return switch (reason) {
            case MISSING_SANDBOX_ID, VALIDATION_ERROR -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN, NOT_SANDBOX_OWNER, ALLOCATION_EXPIRED -> 403;
            case SANDBOX_NOT_FOUND, NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case NO_SANDBOXES_AVAILABLE, IDEMPOTENCY_KEY_CONFLICT, INVALID_STATE -> 409;
            case RATE_LIMITED -> 429;
            case INTERNAL_ERROR -> 500;
            case NOT_READY, SERVICE_UNAVAILABLE -> 503;
        };
    }
}
