package io.sandboxbroker.broker.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotBlank;

/**
 * The Cloud Services Portal.
 *
 * @param baseUrl e.g. {@code https://csp.infoblox.com/v2}
 * @param token   API token (env {@code CSP_API_TOKEN}); sent as {@code Authorization: Token …}
 */
public record CspConfig(@NotBlank String baseUrl, String token, Duration connectTimeout, Duration readTimeout) {

    public CspConfig {
        connectTimeout = connectTimeout == null ? Duration.seconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.seconds(15) : readTimeout;
    }

    @Override
    public String toString() {
        return "CspConfig[baseUrl=" + baseUrl + "]";
    }
}
