package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.core.StorageProbe;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Asks DynamoDB for an item that never exists: a data-plane read, cheap and not rate limited
 * like DescribeTable, that fails fast when the table or the endpoint is gone.
 *
 * <p>The answer is kept for {@link #FRESH_FOR}: {@code /readyz} needs no token, so without it a
 * flood of probes would turn into DynamoDB reads one to one. Callers arriving while a probe is in
 * flight wait for it instead of starting their own.
 */
public final class DynamoStorageProbe implements StorageProbe {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoStorageProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration FRESH_FOR = Duration.ofMillis(1500);
    private static final Map<String, AttributeValue> PROBE_KEY =
            Map.of("pk", AttributeValue.fromS("HEALTH#probe"), "sk", AttributeValue.fromS("HEALTH"));

    private final DynamoDbClient dynamo;
    private final String table;
    /** Monotonic nanoseconds: how old an answer is, whatever the wall clock does. */
    private final LongSupplier nanos;

    private boolean lastAnswer;
    private long answeredAt;
    private boolean answered;

    public DynamoStorageProbe(DynamoDbClient dynamo, String table) {
        this(dynamo, table, System::nanoTime);
    }

    DynamoStorageProbe(DynamoDbClient dynamo, String table, LongSupplier nanos) {
        this.dynamo = dynamo;
        this.table = table;
        this.nanos = nanos;
    }

    /** Whether DynamoDB answered, as of at most {@link #FRESH_FOR} ago. */
    @Override
    public synchronized boolean reachable() {
        long now = nanos.getAsLong();
        if (answered && now - answeredAt < FRESH_FOR.toNanos()) {
            return lastAnswer;
        }
        lastAnswer = probe();
        answeredAt = nanos.getAsLong();
        answered = true;
        return lastAnswer;
    }

    private boolean probe() {
        try {
            dynamo.getItem(b -> b.tableName(table)
                    .key(PROBE_KEY)
                    .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT).apiCallAttemptTimeout(TIMEOUT)));
            return true;
        } catch (SdkException e) {
            LOG.warn(
                    "action=readiness outcome=unreachable table={} error={}",
                    table,
                    e.getClass().getSimpleName());
            return false;
        }
    }
}
