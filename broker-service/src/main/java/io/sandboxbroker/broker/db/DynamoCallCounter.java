package io.sandboxbroker.broker.db;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.core.StorageCalls;
import io.sandboxbroker.broker.metrics.MetricNames;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Counts DynamoDB calls: per operation as a metric, and per thread so a service can tell what one
 * operation cost. SDK retries of a call are counted apart ({@code broker_dynamodb_retries}):
 * they say how healthy DynamoDB is, not what our code asks of it.
 */
public final class DynamoCallCounter implements ExecutionInterceptor, StorageCalls {
    private static final ThreadLocal<long[]> ON_THREAD = ThreadLocal.withInitial(() -> new long[1]);

    /** {@code broker_dynamodb_calls{operation=Query}} and so on. */
    public static final String CALLS = "broker_dynamodb_calls";

    /**
     * {@code broker_dynamodb_items_read{operation=Query|Scan}}: items the reads returned. A candidate
     * read returns more items than the allocations it serves; this says how many more.
     */
    public static final String ITEMS_READ = "broker_dynamodb_items_read";

    private final MetricRegistry metrics;

    public DynamoCallCounter(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    private static final ExecutionAttribute<Boolean> SENT = new ExecutionAttribute<>("broker.sent");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        ON_THREAD.get()[0]++;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        metrics.counter(MetricNames.labelled(CALLS, "operation", operation == null ? "unknown" : operation))
                .inc();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(SENT) != null) {
            metrics.counter("broker_dynamodb_retries").inc();
        }
        attributes.putAttribute(SENT, Boolean.TRUE);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof QueryResponse query) {
            metrics.counter(MetricNames.labelled(ITEMS_READ, "operation", "Query"))
                    .inc(query.count());
        } else if (context.response() instanceof ScanResponse scan) {
            metrics.counter(MetricNames.labelled(ITEMS_READ, "operation", "Scan"))
                    .inc(scan.count());
        }
    }

    @Override
    public long onThisThread() {
        return ON_THREAD.get()[0];
    }
}
