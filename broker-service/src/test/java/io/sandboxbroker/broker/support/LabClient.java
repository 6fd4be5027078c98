package io.sandboxbroker.broker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client, as a lab script would be: headers in, status and JSON out. */
public final class LabClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What came back. */
    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public String code() {
            return body.path("detail").path("code").asText(null);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private LabClient(String base) {
        this.base = base;
    }

    public static LabClient at(int port) {
        return new LabClient("http://127.0.0.1:" + port);
    }

    public LabClient with(String header, String value) {
        LabClient copy = new LabClient(base);
        copy.headers.putAll(headers);
        copy.headers.put(header, value);
        return copy;
    }

    public LabClient lab(String learner) {
        return with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN).with("X-Instruqt-Sandbox-ID", learner);
    }

    public LabClient admin() {
        return with("Authorization", "Bearer " + BrokerTestApp.ADMIN_TOKEN);
    }

    public Reply post(String path) {
        return send("POST", path);
    }

    public Reply get(String path) {
        return send("GET", path);
    }

    public Reply send(String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : parse(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("_raw", body);
        }
    }
}
