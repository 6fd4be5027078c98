package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.sandboxbroker.broker.edge.RateLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * One token bucket: {@code burst} requests at once, refilled at {@code perMinute} requests a minute.
 *
 * @param burst     the bucket's capacity; also what {@code X-RateLimit-Limit} reports
 * @param perMinute the sustained rate
 */
public record BucketConfig(
        @Min(1) @Max(10_000_000) long burst,
        @Min(1) @Max(100_000_000) long perMinute) {

    @JsonIgnore
    public RateLimits.Bucket bucket() {
        return new RateLimits.Bucket(burst, perMinute);
    }
}
