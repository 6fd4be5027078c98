package io.sandboxbroker.broker.db;

import java.time.Duration;
import java.util.Map;
import io.sandboxbroker.broker.core.StorageProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Asks DynamoDB for an item that never exists: a data-plane read, cheap and not rate limited
 * like DescribeTable, that fails fast when the table or the endpoint is gone.
 */
public final class DynamoStorageProbe implements StorageProbe {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoStorageProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Map<String, AttributeValue> PROBE_KEY = Map.of(
            "pk", AttributeValue.fromS("HEALTH#probe"), "sk", AttributeValue.fromS("HEALTH"));

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoStorageProbe(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean reachable() {
        try {
            dynamo.getItem(b -> b.tableName(table).key(PROBE_KEY)
                    .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT).apiCallAttemptTimeout(TIMEOUT)));
            return true;
        } catch (SdkException e) {
            LOG.warn("action=readiness outcome=unreachable table={} error={}", table, e.getClass().getSimpleName());
            return false;
        }
    }
}
