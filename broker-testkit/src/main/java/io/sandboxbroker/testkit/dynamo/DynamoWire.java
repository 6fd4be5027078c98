package io.sandboxbroker.testkit.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raw DynamoDB JSON-over-HTTP calls to one dynalite endpoint: the proxy's own reads and replica writes,
 * and the forwarding of the SDK's requests. dynalite checks that a request carries a SigV4-shaped
 * {@code Authorization} header but never verifies the signature, so the proxy's own calls send a fixed one.
 */
final class DynamoWire {
    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String OWN_AUTHORIZATION = "AWS4-HMAC-SHA256 "
            + "Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0";
    /** Headers java.net.http refuses to set or that describe the hop, not the request. */
    private static final Set<String> HOP_HEADERS = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection",
            "date");

    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper json;

    DynamoWire(URI endpoint, ObjectMapper json) {
        this.endpoint = endpoint;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** One answer as dynalite gave it: status, headers worth passing on, body bytes. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** Forwards a request unchanged (minus hop-by-hop headers) and returns dynalite's answer. */
    Answer forward(Map<String, List<String>> headers, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return send(request.build());
    }

    /** The proxy's own call; throws unless dynalite answers 2xx. */
    JsonNode call(String operation, ObjectNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", CONTENT_TYPE)
                    .header("X-Amz-Target", TARGET_PREFIX + operation)
                    .header("X-Amz-Date", "20200101T000000Z")
                    .header("Authorization", OWN_AUTHORIZATION)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            Answer answer = send(request);
            JsonNode parsed = answer.body().length == 0 ? json.createObjectNode() : json.readTree(answer.body());
            if (!answer.ok()) {
                throw new DynamoWireException(operation, answer.status(), parsed);
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(operation + " on " + endpoint + " failed", e);
        }
    }

    private Answer send(HttpRequest request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static boolean isHopHeader(String name) {
        return HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** dynalite refused one of the proxy's own calls. */
    static final class DynamoWireException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String type;

        DynamoWireException(String operation, int status, JsonNode body) {
            super(operation + " answered " + status + ": " + body);
            this.type = body.path("__type").asText("");
        }

        boolean is(String errorName) {
            return type.endsWith("#" + errorName);
        }
    }
}
