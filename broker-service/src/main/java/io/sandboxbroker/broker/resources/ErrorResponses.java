package io.sandboxbroker.broker.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.api.ErrorView;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Set;

/** Builds every error response of the API in the one envelope. */
public final class ErrorResponses {
    /**
     * Codes that only the transport layers produce (the mapper for JAX-RS statuses, Jetty's error
     * handler); every other code is a {@link Reason}. Together they are the documented codes.
     */
    public static final Set<String> TRANSPORT_CODES = Set.of("NOT_ACCEPTABLE", "UNSUPPORTED_MEDIA_TYPE",
            "REQUEST_TOO_LARGE");
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** The envelope as bytes, for layers below Jersey (servlet filters, Jetty's error handler). */
    static byte[] json(String code, String message, String requestId, Long retryAfterSeconds) {
        try {
            return JSON.writeValueAsBytes(ErrorView.of(code, message, requestId, retryAfterSeconds));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the error envelope always serialises", e);
        }
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
