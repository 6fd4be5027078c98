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
import org.slf4j.MDC;

/** Builds every error response of the API in the one envelope. */
public final class ErrorResponses {
    /**
     * Codes that only the transport layers produce (the mapper for JAX-RS statuses, Jetty's error
     * handler); every other code is a {@link Reason}. Together they are the documented codes.
     */
    public static final Set<String> TRANSPORT_CODES =
            Set.of("NOT_ACCEPTABLE", "UNSUPPORTED_MEDIA_TYPE", "REQUEST_TOO_LARGE");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Logging-context key of the error envelope's code. */
    static final String ERROR_CODE = "error_code";

    private ErrorResponses() {}

    public static Response of(BrokerException e) {
        return of(
                status(e.reason()),
                e.reason().name(),
                e.getMessage(),
                e.retryAfter().orElse(null));
    }

    public static Response of(int status, String code, String message, Duration retryAfter) {
        noteCode(code);
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
        noteCode(code);
        try {
            return JSON.writeValueAsBytes(ErrorView.of(code, message, requestId, retryAfterSeconds));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the error envelope always serialises", e);
        }
    }

    /**
     * The request's {@code detail.code} in the logging context, so that the access line (written
     * later on this thread, which clears it) carries it: "errors by code" is a query over access lines.
     */
    private static void noteCode(String code) {
        MDC.put(ERROR_CODE, code);
    }

    /** The code and message of an error that is only a status (from Jersey, Jetty or a servlet). */
    record StatusError(String code, String message) {}

    /** One table for every layer that answers with a bare status, so they all say the same. */
    static StatusError forStatus(int status, String requestId) {
        return switch (status) {
            case 400 -> new StatusError("VALIDATION_ERROR", "the request is malformed or not valid");
            case 401 -> new StatusError("UNAUTHORIZED", "a valid bearer token is required");
            case 403 -> new StatusError("FORBIDDEN", "this token may not call this endpoint");
            case 404 -> new StatusError("NOT_FOUND", "no such endpoint");
            case 405 -> new StatusError("METHOD_NOT_ALLOWED", "this endpoint does not accept that method");
            case 406 -> new StatusError("NOT_ACCEPTABLE", "this endpoint answers application/json");
            case 413, 414, 431 ->
                new StatusError("REQUEST_TOO_LARGE", "the request or one of its headers is too large");
            case 415 -> new StatusError("UNSUPPORTED_MEDIA_TYPE", "this endpoint does not accept that body type");
            // The client's mistake (e.g. "HTTP/9.9"), though HTTP numbers it among the 5xx.
            case 505 -> new StatusError("HTTP_505", "this server speaks HTTP/1.1 and HTTP/1.0");
            default ->
                status >= 500
                        ? new StatusError(
                                "INTERNAL_ERROR", "an unexpected error occurred; quote request_id " + requestId)
                        : new StatusError("HTTP_" + status, "the request could not be served");
        };
    }

    /** The HTTP status of each domain reason. */
    public static int status(Reason reason) {
        return switch (reason) {
            case MISSING_SANDBOX_ID, VALIDATION_ERROR -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN, NOT_SANDBOX_OWNER, ALLOCATION_EXPIRED -> 403;
            case SANDBOX_NOT_FOUND, NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case NO_SANDBOXES_AVAILABLE, IDEMPOTENCY_KEY_CONFLICT, INVALID_STATE, LEASE_LIMIT_REACHED -> 409;
            case RATE_LIMIT_EXCEEDED -> 429;
            case INTERNAL_ERROR -> 500;
            case NOT_READY, SERVICE_UNAVAILABLE -> 503;
        };
    }
}
