package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.RandomIds;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any resource runs (malformed requests, ambiguous or
 * undecodable paths, headers too large), in the same envelope as every other error.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Inject
    public JsonErrorHandler() {}

    /**
     * Jetty writes error bodies only for GET, POST and HEAD; an unknown or unusual method (refused
     * with 405) must get the envelope too.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Whatever the client accepts, the answer is the JSON envelope. */
    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int status,
            String message,
            Throwable cause) {
        String requestId = existingOrNewId(response);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.apply(null, response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(body(status, requestId)), callback);
        return true;
    }

    /** Requests the HTTP parser rejects never become a request at all. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RandomIds.next();
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.apply(null, fields::put);
        return ByteBuffer.wrap(body(status, requestId));
    }

    private static String existingOrNewId(Response response) {
        String existing = response.getHeaders().get(RequestIdFilter.HEADER);
        return existing != null ? existing : RandomIds.next();
    }

    /** Jetty's reason may quote the request; the client already has it, so the message stays generic. */
    static byte[] body(int status, String requestId) {
        ErrorResponses.StatusError error = ErrorResponses.forStatus(status, requestId);
        return ErrorResponses.json(error.code(), error.message(), requestId, null);
    }
}
