package io.sandboxbroker.broker.db;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.core.StorageCalls;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every DynamoDB request the SDK sends (retries included, since each is billed): per
 * operation as a metric, and per thread so a service can tell what one operation cost.
 */
public final class DynamoCallCounter implements ExecutionInterceptor, StorageCalls {
    private static final ThreadLocal<long[]> ON_THREAD = ThreadLocal.withInitial(() -> new long[1]);

    private final MetricRegistry metrics;

    public DynamoCallCounter(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        ON_THREAD.get()[0]++;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        metrics.counter(MetricRegistry.name("broker_dynamodb_calls", operation == null ? "unknown" : operation)).inc();
    }

    @Override
    public long onThisThread() {
        return ON_THREAD.get()[0];
    }
}
