package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A plain JDK HTTP client for talking to the fake provider over the wire in tests. */
final class WireClient {
    static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response with its body read as text; {@link #json()} parses it. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private final URI base;
    private final String authorization;
    private final Duration timeout;

    private WireClient(URI base, String authorization, Duration timeout) {
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    /** A CSP client sending {@code Authorization: Token <token>}. */
    static WireClient csp(FakeProvider provider) {
        return new WireClient(provider.baseUri(), "Token " + provider.config().cspToken(), GENEROUS);
    }

    static WireClient withAuthorization(FakeProvider provider, String authorization) {
        return new WireClient(provider.baseUri(), authorization, GENEROUS);
    }

    static WireClient anonymous(FakeProvider provider) {
        return new WireClient(provider.baseUri(), null, GENEROUS);
    }

    static WireClient bearer(FakeProvider provider, String jwt) {
        return withAuthorization(provider, "Bearer " + jwt);
    }

    /** The same client with a different read timeout. */
    WireClient timeout(Duration readTimeout) {
        return new WireClient(base, authorization, readTimeout);
    }

    Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET());
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    /** Sends a DELETE without waiting for the answer. */
    CompletableFuture<Response> deleteAsync(String path) {
        return HTTP.sendAsync(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), response.body()));
    }

    Response post(String path, String jsonBody) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** Every account the CSP lists, as JSON objects. */
    List<JsonNode> accounts() throws IOException, InterruptedException {
        Response response = get(ProviderPaths.ACCOUNTS);
        if (response.status() != 200) {
            throw new IllegalStateException("listing failed: " + response);
        }
        List<JsonNode> accounts = new ArrayList<>();
        response.json().path("results").forEach(accounts::add);
        return accounts;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
