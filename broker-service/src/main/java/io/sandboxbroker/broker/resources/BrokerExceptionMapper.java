package io.sandboxbroker.broker.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sandboxbroker.broker.core.BrokerException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns every exception into the error envelope. Domain errors carry their own code; JAX-RS
 * errors (unknown route, wrong method, bad media type) get one from their status; storage
 * outages are 503 so lab scripts retry; anything else is a 500 whose body names only the
 * request id under which the stack trace was logged.
 */
@Provider
public final class BrokerExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerExceptionMapper.class);

    @Inject
    public BrokerExceptionMapper() {}

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof BrokerException broker) {
            return ErrorResponses.of(broker);
        }
        if (error instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return fromStatus(web.getResponse());
        }
        if (error instanceof JsonProcessingException) {
            return ErrorResponses.of(400, "VALIDATION_ERROR", "the request body is not valid JSON", null);
        }
        if (error instanceof SdkException) {
            LOG.warn("action=storage outcome=unavailable error={}", error.toString());
            return ErrorResponses.of(
                    503, "SERVICE_UNAVAILABLE", "storage is unavailable; retry shortly", Duration.ofSeconds(5));
        }
        String requestId = RequestIdFilter.current();
        LOG.error("action=request outcome=internal_error request_id={}", requestId, error);
        return ErrorResponses.of(
                500,
                "INTERNAL_ERROR",
                "an unexpected error occurred; quote request_id " + requestId + " to the operators",
                null);
    }

    private static Response fromStatus(Response original) {
        int status = original.getStatus();
        ErrorResponses.StatusError error = ErrorResponses.forStatus(status, RequestIdFilter.current());
        Response response = ErrorResponses.of(status, error.code(), error.message(), null);
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        if (allow == null) {
            return response;
        }
        return Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build();
    }
}
