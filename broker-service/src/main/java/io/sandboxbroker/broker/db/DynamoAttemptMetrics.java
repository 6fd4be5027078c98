package io.sandboxbroker.broker.db;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.metrics.MetricNames;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Counts failed DynamoDB attempts by kind: {@code broker_dynamodb_throttles} for throttled attempts
 * (the table or an index is over its capacity) and
 * {@code broker_dynamodb_attempt_errors{type=server_error|configured_timeout|io|other}} for the rest.
 * Each such attempt is retried while attempts and the call timeout last. An answer the broker's
 * conditional writes expect (a failed condition, a 4xx that is not throttling) is not a failed
 * attempt.
 *
 * <p>It sees each failed attempt where the SDK asks the retry strategy whether to retry it: it wraps
 * the client's strategy ({@link #counting}). It replaces an SDK metric publisher, which had two
 * faults: it took the SDK's error type, under which every failed condition (each replayed or lost
 * allocation) was a "server error"; and any publisher makes the SDK collect every metric of every
 * call, reading the connection pool's statistics under the pool's lock, to count what rarely
 * happens.
 */
public final class DynamoAttemptMetrics {
    public static final String THROTTLES = "broker_dynamodb_throttles";
    public static final String ATTEMPT_ERRORS = "broker_dynamodb_attempt_errors";

    private final MetricRegistry metrics;

    public DynamoAttemptMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    /** {@code strategy}, counting every failed attempt it is asked to retry. */
    public RetryStrategy counting(RetryStrategy strategy) {
        return new Counting(strategy);
    }

    void failed(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            if (service.isThrottlingException()) {
                metrics.counter(THROTTLES).inc();
            } else if (service.statusCode() >= 500) {
                count("server_error");
            }
            // any other answer is the service's reply to what was asked, not a failed attempt
            return;
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException) {
            count("configured_timeout");
        } else if (causedByIo(failure)) {
            count("io");
        } else {
            count("other");
        }
    }

    private void count(String type) {
        metrics.counter(MetricNames.labelled(ATTEMPT_ERRORS, "type", type)).inc();
    }

    private static boolean causedByIo(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Decides nothing itself: every call goes to the wrapped strategy. */
    private final class Counting implements RetryStrategy {
        private final RetryStrategy delegate;

        Counting(RetryStrategy delegate) {
            this.delegate = delegate;
        }

        @Override
        public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
            return delegate.acquireInitialToken(request);
        }

        @Override
        public CompletableFuture<AcquireInitialTokenResponse> acquireInitialTokenAsync(
                AcquireInitialTokenRequest request) {
            return delegate.acquireInitialTokenAsync(request);
        }

        @Override
        public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
            failed(request.failure());
            return delegate.refreshRetryToken(request);
        }

        @Override
        public CompletableFuture<RefreshRetryTokenResponse> refreshRetryTokenAsync(RefreshRetryTokenRequest request) {
            failed(request.failure());
            return delegate.refreshRetryTokenAsync(request);
        }

        @Override
        public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
            return delegate.recordSuccess(request);
        }

        @Override
        public int maxAttempts() {
            return delegate.maxAttempts();
        }

        @Override
        public boolean useClientDefaults() {
            return delegate.useClientDefaults();
        }

        /** A strategy rebuilt from this one would not count: the SDK rebuilds only its own defaults. */
        @Override
        public Builder<?, ?> toBuilder() {
            return delegate.toBuilder();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
