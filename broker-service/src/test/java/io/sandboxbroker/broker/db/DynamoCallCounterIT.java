package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.metrics.MetricNames;
import io.sandboxbroker.broker.support.TestDynamo;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What {@link DynamoCallCounter} counts on a real client: calls by operation, and the items reads return. */
class DynamoCallCounterIT {
    private static String TABLE;

    private final MetricRegistry metrics = new MetricRegistry();
    private final DynamoDbClient client = TestDynamo.clientWith(new DynamoCallCounter(metrics));

    @BeforeAll
    static void table() {
        TABLE = TestDynamo.keyTable("call-counter", "pk", "sk");
        for (String pk : new String[] {"a", "a", "a", "b"}) {
            TestDynamo.client()
                    .putItem(b -> b.tableName(TABLE)
                            .item(Map.of(
                                    "pk", AttributeValue.fromS(pk),
                                    "sk",
                                            AttributeValue.fromS(
                                                    java.util.UUID.randomUUID().toString()))));
        }
    }

    @AfterEach
    void close() {
        client.close();
    }

    private long counted(String name, String operation) {
        return metrics.counter(MetricNames.labelled(name, "operation", operation))
                .getCount();
    }

    @Test
    void readsCountTheItemsTheyReturned_limitedReadsOnlyWhatTheyGot() {
        client.query(b -> b.tableName(TABLE)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("a"))));
        client.query(b -> b.tableName(TABLE)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("a")))
                .limit(2));
        client.scan(b -> b.tableName(TABLE));

        assertThat(counted(DynamoCallCounter.CALLS, "Query")).isEqualTo(2);
        assertThat(counted(DynamoCallCounter.ITEMS_READ, "Query")).isEqualTo(3 + 2);
        assertThat(counted(DynamoCallCounter.CALLS, "Scan")).isEqualTo(1);
        assertThat(counted(DynamoCallCounter.ITEMS_READ, "Scan")).isEqualTo(4);
    }

    @Test
    void writesAndKeyReads_readNoItemsByThisCount() {
        client.getItem(b ->
                b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromS("none"))));

        assertThat(counted(DynamoCallCounter.CALLS, "GetItem")).isEqualTo(1);
        assertThat(metrics.getCounters((name, counter) -> name.startsWith(DynamoCallCounter.ITEMS_READ)))
                .isEmpty();
    }
}
