package io.sandboxbroker.broker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.core.DeletionResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * JSON over HTTP with one provider: builds requests (credentials, timeouts, JSON bodies), turns
 * every way of not getting an answer into a {@link ProviderException} with a safe message, and
 * classifies answers. Shared by the CSP and NIOSXaaS clients so both treat statuses, timeouts and
 * secrets alike. Messages and details never contain the credentials, which only ever go into the
 * {@code Authorization} header.
 */
final class ProviderHttp {
    private static final int EXCERPT_LENGTH = 120;

    /** One answer from the provider. {@code excerpt} is a short, safe summary of an error body. */
    record Answer(int status, byte[] body, String excerpt) {

        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /**
         * 5xx (including a gateway's HTML page wrapped in JSON), plus 408 and 429, which say "not
         * now" rather than "never".
         */
        boolean isTransient() {
            return status >= 500 || status == 408 || status == 429;
        }

        /** {@code HTTP 503: Service unavailable}, for logs and history. */
        String describe() {
            return excerpt.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + excerpt;
        }
    }

    private final String provider;
    private final ObjectMapper json;
    private final Duration readTimeout;
    private final HttpClient http;

    /**
     * @param provider the provider's name for messages, e.g. {@code CSP}
     */
    ProviderHttp(String provider, ObjectMapper json, Duration connectTimeout, Duration readTimeout) {
        this.provider = provider;
        this.json = json;
        this.readTimeout = readTimeout;
        // HTTP/1.1: no h2c upgrade dance on plain-HTTP endpoints (local runs, tests).
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends one request and returns whatever status came back.
     *
     * @param authorization the whole header value, e.g. {@code Token abc}; null for none
     * @param body          serialised as JSON; null for no body
     * @throws ProviderException (transient) when no answer arrived: timeout, refused connection, I/O error
     */
    Answer send(String method, URI uri, String authorization, Object body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body() == null ? new byte[0] : response.body();
            String excerpt = response.statusCode() >= 300 ? excerpt(bytes, authorization) : "";
            return new Answer(response.statusCode(), bytes, excerpt);
        } catch (IOException e) {
            throw new ProviderException(provider + " " + method + " failed: " + describe(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(provider + " " + method + " interrupted", true);
        }
    }

    /**
     * Reads a successful answer's JSON body.
     *
     * @throws ProviderException for a non-2xx answer (transient if {@link Answer#isTransient()}) or
     *                           an unreadable body (transient: gateways sometimes answer 200 with HTML)
     */
    <T> T read(Answer answer, Class<T> type, String what) {
        if (!answer.isSuccess()) {
            throw new ProviderException(provider + " " + what + ": " + answer.describe(), answer.isTransient());
        }
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException e) {
            throw new ProviderException(provider + " " + what + ": unreadable body", true);
        }
    }

    /**
     * Deletes a resource where 200, 204 and 404 all mean "gone". Never throws for the provider's
     * failures; an unexpected exception of our own still propagates.
     */
    DeletionResult delete(URI uri, String authorization) {
        try {
            return asDeletion(send("DELETE", uri, authorization, null));
        } catch (ProviderException e) {
            return DeletionResult.transientFailure(e.getMessage());
        }
    }

    static DeletionResult asDeletion(Answer answer) {
        int status = answer.status();
        if (status == 200 || status == 204) {
            return DeletionResult.gone("HTTP " + status);
        }
        if (status == 404) {
            return DeletionResult.gone("HTTP 404 (already gone)");
        }
        return answer.isTransient()
                ? DeletionResult.transientFailure(answer.describe())
                : DeletionResult.permanent(answer.describe());
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot serialise a " + body.getClass().getSimpleName(), e);
        }
    }

    /** Why no answer came, without the exception's message (which may carry anything). */
    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + readTimeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        return "I/O error (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * The provider's own error text ({@code error} or {@code message}), shortened and printable;
     * an HTML page (a gateway's, often wrapped in JSON) becomes just "HTML error page". Any echo of
     * the credentials is cut out.
     */
    private String excerpt(byte[] body, String authorization) {
        if (body.length == 0) {
            return "";
        }
        String text;
        try {
            JsonNode node = json.readTree(body);
            JsonNode message = node == null ? null : node.has("error") ? node.get("error") : node.get("message");
            text = message == null ? "" : message.isTextual() ? message.asText() : message.toString();
        } catch (IOException notJson) {
            text = new String(body, 0, Math.min(body.length, 4 * EXCERPT_LENGTH), StandardCharsets.UTF_8);
        }
        if (text.toLowerCase(Locale.ROOT).contains("<html")) {
            return "HTML error page";
        }
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String secret = space < 0 ? authorization : authorization.substring(space + 1);
            if (!secret.isBlank()) {
                text = text.replace(secret, "<redacted>");
            }
        }
        String printable = text.replaceAll("\\p{Cntrl}", " ").strip();
        return printable.length() <= EXCERPT_LENGTH ? printable : printable.substring(0, EXCERPT_LENGTH) + "…";
    }
}
