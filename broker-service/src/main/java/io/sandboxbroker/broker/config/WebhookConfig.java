package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.Webhook;
import io.sandboxbroker.broker.core.Webhooks;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One outbound webhook: where ({@code url}, http or https), the HMAC secret (at least 16
 * characters, from the environment) and the event types it gets ({@code pool.low}, …).
 */
public record WebhookConfig(
        @NotBlank String name,
        @NotBlank String url,
        @NotBlank @Size(min = 16) String secret,
        @NotEmpty List<String> events) {

    @JsonIgnore
    @AssertTrue(message = "url must be an absolute http(s) URL")
    public boolean isUrlValid() {
        try {
            URI uri = URI.create(url == null ? "" : url);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @AssertTrue(
            message = "events must each be one of pool.low, pool.empty, pool.recovered, "
                    + "sandbox.deletion_failed, job.stuck, tenant.retired_still_listed")
    public boolean isEventsKnown() {
        return events == null
                || events.stream().allMatch(event -> EventType.parse(event).isPresent());
    }

    @Override
    public String toString() {
        return "WebhookConfig[name=" + name + ", url=" + url + ", events=" + events + "]";
    }

    Webhook webhook() {
        Set<EventType> types = new LinkedHashSet<>();
        events.forEach(event -> types.add(EventType.parse(event).orElseThrow()));
        return new Webhook(name, url, secret, types);
    }

    /** The webhooks these configure (each was validated at start-up). */
    public static Webhooks webhooksOf(List<WebhookConfig> configs) {
        return new Webhooks(configs.stream().map(WebhookConfig::webhook).toList());
    }
}
