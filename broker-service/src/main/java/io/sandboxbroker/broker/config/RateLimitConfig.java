package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.edge.Cidr;
import io.sandboxbroker.broker.edge.RateLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Token buckets per API process (the ALB's WAF rate rule is the global backstop; docs/architecture.md#edge).
 *
 * @param enabled        env {@code RATE_LIMIT_ENABLED}; default true
 * @param perLearner     keyed by the authenticated client and the learner id
 * @param perClient      keyed by the authenticated client alone, so rotating the learner header
 *                       does not escape the limit
 * @param perAddress     keyed by the source address, before authentication
 * @param trustedProxies comma-separated CIDR ranges whose {@code X-Forwarded-For} is believed
 *                       (env {@code TRUSTED_PROXY_CIDRS}); from anyone else the socket address counts
 * @param idleExpiry     a bucket untouched this long is dropped (it would be full again anyway)
 * @param maxKeys        at most this many buckets per kind; the least recently used go first
 */
public record RateLimitConfig(
        Boolean enabled,
        @Valid @NotNull BucketConfig perLearner,
        @Valid @NotNull BucketConfig perClient,
        @Valid @NotNull BucketConfig perAddress,
        String trustedProxies,
        @NotNull Duration idleExpiry,
        @Min(100) @Max(10_000_000) int maxKeys) {

    public RateLimitConfig {
        enabled = enabled == null || enabled;
        perLearner = perLearner == null ? new BucketConfig(30, 120) : perLearner;
        // The production defaults (config/production.yml says how they are sized).
        perClient = perClient == null ? new BucketConfig(2_400, 12_000) : perClient;
        perAddress = perAddress == null ? new BucketConfig(1_200, 6_000) : perAddress;
        trustedProxies = trustedProxies == null ? "" : trustedProxies;
        idleExpiry = idleExpiry == null ? Duration.minutes(10) : idleExpiry;
        maxKeys = maxKeys == 0 ? 100_000 : maxKeys;
    }

    public static RateLimitConfig defaults() {
        return new RateLimitConfig(null, null, null, null, null, null, 0);
    }

    /** The bucket sizes the edge's rate limiter works with. */
    @JsonIgnore
    public RateLimits limits() {
        return new RateLimits(
                perLearner.bucket(), perClient.bucket(), perAddress.bucket(), idleExpiry.toJavaDuration(), maxKeys);
    }

    /** The trusted proxy ranges, parsed. */
    @JsonIgnore
    public List<Cidr> proxyRanges() {
        return Csv.split(trustedProxies).stream().map(Cidr::parse).toList();
    }

    @JsonIgnore
    @AssertTrue(message = "trustedProxies must be comma-separated CIDR ranges such as 10.0.0.0/8")
    public boolean isTrustedProxiesValid() {
        try {
            proxyRanges();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
