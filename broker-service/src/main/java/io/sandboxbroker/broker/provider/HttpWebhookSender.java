package io.sandboxbroker.broker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.core.Event;
import io.sandboxbroker.broker.core.Webhook;
import io.sandboxbroker.broker.core.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts an event as JSON, {@code {"id","type","time","details"}} ({@code time} in Unix seconds),
 * with {@code X-Broker-Signature: sha256=<hex HMAC-SHA256 of the body with the webhook's secret>},
 * {@code X-Broker-Event-Id} and {@code X-Broker-Event-Type}. A 2xx answer is a delivery.
 */
public final class HttpWebhookSender implements WebhookSender {
    public static final String SIGNATURE = "X-Broker-Signature";
    public static final String EVENT_ID = "X-Broker-Event-Id";
    public static final String EVENT_TYPE = "X-Broker-Event-Type";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** HTTP/1.1: no h2c upgrade request on plain http, which some receivers and proxies refuse. */
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final ObjectMapper json;

    public HttpWebhookSender(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String send(Webhook webhook, Event event) {
        byte[] body = body(event);
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook.url()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(EVENT_ID, event.id())
                .header(EVENT_TYPE, event.type().wire())
                .header(SIGNATURE, "sha256=" + sign(webhook.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private byte[] body(Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type().wire());
        body.put("time", event.at().getEpochSecond());
        body.put("details", event.details());
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of strings and numbers is always JSON", e);
        }
    }

    /** Lower-case hex HMAC-SHA256 of {@code body}: what a receiver recomputes to check the signature. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
