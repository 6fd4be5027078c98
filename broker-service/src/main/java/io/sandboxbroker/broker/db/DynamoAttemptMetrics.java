package io.sandboxbroker.broker.db;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.metrics.MetricNames;
import java.util.Locale;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts failed DynamoDB attempts by the SDK's error type: {@code broker_dynamodb_throttles} for
 * throttled attempts (the table or an index is over its capacity) and
 * {@code broker_dynamodb_attempt_errors{type=server_error|configured_timeout|io|other}} for the rest.
 * Each such attempt is retried while attempts and the call timeout last.
 */
public final class DynamoAttemptMetrics implements MetricPublisher {
    public static final String THROTTLES = "broker_dynamodb_throttles";
    public static final String ATTEMPT_ERRORS = "broker_dynamodb_attempt_errors";

    private final MetricRegistry metrics;

    public DynamoAttemptMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void publish(MetricCollection call) {
        call.childrenWithName("ApiCallAttempt")
                .forEach(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).forEach(this::count));
    }

    private void count(String errorType) {
        if ("Throttling".equals(errorType)) {
            metrics.counter(THROTTLES).inc();
            return;
        }
        String type = errorType.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        metrics.counter(MetricNames.labelled(ATTEMPT_ERRORS, "type", type)).inc();
    }

    @Override
    public void close() {
        // nothing to flush: the counters live in the registry
    }
}
