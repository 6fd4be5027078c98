package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.core.CleanupPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The cleanup job (docs/architecture.md#jobs-and-schedules). The provider throttles bursts of deletes, so production paces them:
 * 10 per batch, 30 s between sandboxes and between batches.
 *
 * @param batchSize        env {@code CLEANUP_BATCH_SIZE}, default 10
 * @param batchDelay       env {@code CLEANUP_BATCH_DELAY_SECONDS}, default 30 s
 * @param sandboxDelay     env {@code CLEANUP_SANDBOX_DELAY_SECONDS}, default 30 s
 * @param maxAttempts      provider deletes before deletion_failed (env {@code CLEANUP_MAX_ATTEMPTS}, default 5)
 * @param backoffBase      wait after the first failed attempt, doubling after each (env {@code CLEANUP_BACKOFF_BASE_MINUTES}, default 5 min)
 * @param backoffMax       longest wait between attempts (env {@code CLEANUP_BACKOFF_MAX_MINUTES}, default 2 h)
 * @param historyRetention how long deleted sandboxes and clean-up history stay (env {@code HISTORY_TTL_DAYS}, default 30 days)
 * @param breaker          the circuit breaker on provider deletes
 */
public record CleanupConfig(
        @Min(1) @Max(1000) int batchSize,
        Duration batchDelay,
        Duration sandboxDelay,
        @Min(1) @Max(100) int maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration historyRetention,
        @Valid BreakerConfig breaker) {

    public CleanupConfig {
        batchSize = batchSize == 0 ? 10 : batchSize;
        batchDelay = batchDelay == null ? Duration.seconds(30) : batchDelay;
        sandboxDelay = sandboxDelay == null ? Duration.seconds(30) : sandboxDelay;
        maxAttempts = maxAttempts == 0 ? 5 : maxAttempts;
        backoffBase = backoffBase == null ? Duration.minutes(5) : backoffBase;
        backoffMax = backoffMax == null ? Duration.hours(2) : backoffMax;
        historyRetention = historyRetention == null ? Duration.days(30) : historyRetention;
        breaker = breaker == null ? BreakerConfig.defaults() : breaker;
    }

    public static CleanupConfig defaults() {
        return new CleanupConfig(0, null, null, 0, null, null, null, null);
    }

    /** The clean-up's pacing and backoff this configures. */
    @JsonIgnore
    public CleanupPolicy policy() {
        return new CleanupPolicy(
                batchSize(),
                batchDelay().toJavaDuration(),
                sandboxDelay().toJavaDuration(),
                maxAttempts(),
                backoffBase().toJavaDuration(),
                backoffMax().toJavaDuration(),
                historyRetention().toJavaDuration());
    }
}
