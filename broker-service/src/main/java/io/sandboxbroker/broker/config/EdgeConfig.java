package io.sandboxbroker.broker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * What stands between the network and the resources: rate limits, CORS, the access log and HTTP
 * metrics. Request ids and security headers are always on.
 *
 * @param enabled   false turns rate limiting, CORS, the access log and HTTP metrics off together;
 *                  only for measuring their cost (scripts/bench-edge.sh)
 * @param rateLimit token buckets
 * @param cors      browser origins
 */
public record EdgeConfig(
        Boolean enabled,
        @Valid @NotNull RateLimitConfig rateLimit,
        @Valid @NotNull CorsConfig cors) {

    public EdgeConfig {
        enabled = enabled == null || enabled;
        rateLimit = rateLimit == null ? RateLimitConfig.defaults() : rateLimit;
        cors = cors == null ? CorsConfig.none() : cors;
    }

    public static EdgeConfig defaults() {
        return new EdgeConfig(null, null, null);
    }
}
