package io.sandboxbroker.broker.resources;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any resource runs (malformed requests, ambiguous or
 * undecodable paths, headers too large), in the same envelope as every other error.
 */
public final class JsonErrorHandler extends ErrorHandler {

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
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
            String contentType, List<Charset> charsets, int status, String message, Throwable cause) {
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
        String requestId = UUID.randomUUID().toString();
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.apply(null, fields::put);
        return ByteBuffer.wrap(body(status, requestId));
    }

    private static String existingOrNewId(Response response) {
        String existing = response.getHeaders().get(RequestIdFilter.HEADER);
        return existing != null ? existing : UUID.randomUUID().toString();
    }

    /** Jetty's reason may quote the request; the client already has it, so the message stays generic. */
    static byte[] body(int status, String requestId) {
        String code = switch (status) {
            case 400 -> "VALIDATION_ERROR";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413, 414, 431 -> "REQUEST_TOO_LARGE";
            // The client's mistake (e.g. "HTTP/9.9"), though HTTP numbers it among the 5xx.
            case 505 -> "HTTP_505";
            default -> status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status;
        };
        String message = switch (status) {
            case 413, 414, 431 -> "the request or one of its headers is too large";
            case 404 -> "no such endpoint";
            case 505 -> "this server speaks HTTP/1.1 and HTTP/1.0";
            default -> status >= 500 ? "an unexpected error occurred; quote request_id " + requestId
                    : "the request is malformed";
        };
        return ErrorResponses.json(code, message, requestId, null);
    }
}
