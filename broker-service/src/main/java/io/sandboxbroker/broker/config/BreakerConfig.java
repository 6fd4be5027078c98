package io.sandboxbroker.broker.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The circuit breaker on provider deletes (resilience4j, count-based window).
 *
 * @param failureRatePercent      transient failures, in percent of the window, that open it (env {@code CLEANUP_BREAKER_FAILURE_RATE})
 * @param windowSize              deletes the failure rate is computed over (env {@code CLEANUP_BREAKER_WINDOW})
 * @param minimumCalls            deletes needed before it may open (env {@code CLEANUP_BREAKER_MINIMUM_CALLS})
 * @param openFor                 how long it stays open before trial deletes (env {@code CLEANUP_BREAKER_OPEN_SECONDS})
 * @param halfOpenCalls           trial deletes while half-open (env {@code CLEANUP_BREAKER_HALF_OPEN_CALLS})
 */
public record BreakerConfig(
        @Min(1) @Max(100) int failureRatePercent,
        @Min(1) @Max(1000) int windowSize,
        @Min(1) @Max(1000) int minimumCalls,
        Duration openFor,
        @Min(1) @Max(100) int halfOpenCalls) {

    public BreakerConfig {
        failureRatePercent = failureRatePercent == 0 ? 50 : failureRatePercent;
        windowSize = windowSize == 0 ? 10 : windowSize;
        minimumCalls = minimumCalls == 0 ? 5 : minimumCalls;
        openFor = openFor == null ? Duration.minutes(5) : openFor;
        halfOpenCalls = halfOpenCalls == 0 ? 2 : halfOpenCalls;
    }

    public static BreakerConfig defaults() {
        return new BreakerConfig(0, 0, 0, null, 0);
    }
}
