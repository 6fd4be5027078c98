package io.sandboxbroker.jobs.store.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The Quartz table's layout as data (so Terraform can be checked against it) and its idempotent creation.
 *
 * <p>Every index is declared at CreateTable: dynalite ignores indexes added later. Indexes only ever
 * find candidates; decisions are made with conditional writes and consistent reads on the base table.
 */
public final class QuartzTable {
    /** Waiting triggers by shard and next fire time: acquisition queries every shard and merges. */
    public static final String DUE_INDEX = "due";
    /** Items by type and {@code group#name}: listings by group, counts, group names. */
    public static final String TYPE_INDEX = "byType";
    /** Triggers by job. */
    public static final String JOB_INDEX = "byJob";
    /** Items held by an instance (acquired triggers, locked jobs, fired records): cluster recovery. */
    public static final String OWNER_INDEX = "byOwner";

    /** Key schema of the base table or of an index; {@code sortKey} may be null. */
    public record KeySchema(
            String partitionKey, ScalarAttributeType partitionType, String sortKey, ScalarAttributeType sortType) {}

    /** A global secondary index; every index projects all attributes. */
    public record Index(String name, KeySchema keys) {}

    /** The whole definition: on-demand billing, no TTL, no streams needed. */
    public record Definition(String tableName, KeySchema keys, List<Index> indexes) {
        public Definition {
            indexes = List.copyOf(indexes);
        }
    }

    private QuartzTable() {}

    public static Definition definition(String tableName) {
        return new Definition(
                tableName,
                new KeySchema(Attr.PK, ScalarAttributeType.S, null, null),
                List.of(
                        new Index(
                                DUE_INDEX,
                                new KeySchema(
                                        Attr.DUE_SHARD, ScalarAttributeType.S, Attr.NEXT_FIRE, ScalarAttributeType.N)),
                        new Index(
                                TYPE_INDEX,
                                new KeySchema(Attr.TYPE, ScalarAttributeType.S, Attr.SK, ScalarAttributeType.S)),
                        new Index(
                                JOB_INDEX,
                                new KeySchema(Attr.JOB_KEY, ScalarAttributeType.S, Attr.PK, ScalarAttributeType.S)),
                        new Index(
                                OWNER_INDEX,
                                new KeySchema(Attr.OWNER, ScalarAttributeType.S, Attr.PK, ScalarAttributeType.S))));
    }

    /** Creates the table with all its indexes; returns false if it already existed. Waits until ACTIVE. */
    public static boolean createIfMissing(DynamoDbClient client, String tableName) {
        boolean created;
        try {
            client.createTable(createRequest(definition(tableName)));
            created = true;
        } catch (ResourceInUseException exists) {
            created = false;
        }
        // the SDK's default waiter sleeps 20 s after a first "CREATING"; dynalite is ACTIVE a moment later
        DynamoDbWaiter.builder()
                .client(client)
                .overrideConfiguration(
                        w -> w.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(100)))
                                .maxAttempts(3_000))
                .build()
                .waitUntilTableExists(b -> b.tableName(tableName));
        return created;
    }

    public static boolean exists(DynamoDbClient client, String tableName) {
        try {
            return client.describeTable(b -> b.tableName(tableName)).table().tableStatus() == TableStatus.ACTIVE;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    static CreateTableRequest createRequest(Definition definition) {
        Map<String, ScalarAttributeType> attributes = new LinkedHashMap<>();
        collect(definition.keys(), attributes);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Index index : definition.indexes()) {
            collect(index.keys(), attributes);
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(keySchema(index.keys()))
                    .projection(Projection.builder()
                            .projectionType(ProjectionType.ALL)
                            .build())
                    .build());
        }
        return CreateTableRequest.builder()
                .tableName(definition.tableName())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keySchema(definition.keys()))
                .attributeDefinitions(attributes.entrySet().stream()
                        .map(e -> AttributeDefinition.builder()
                                .attributeName(e.getKey())
                                .attributeType(e.getValue())
                                .build())
                        .toList())
                .globalSecondaryIndexes(indexes)
                .build();
    }

    private static void collect(KeySchema keys, Map<String, ScalarAttributeType> attributes) {
        attributes.put(keys.partitionKey(), keys.partitionType());
        if (keys.sortKey() != null) {
            attributes.put(keys.sortKey(), keys.sortType());
        }
    }

    private static List<KeySchemaElement> keySchema(KeySchema keys) {
        List<KeySchemaElement> elements = new ArrayList<>();
        elements.add(KeySchemaElement.builder()
                .attributeName(keys.partitionKey())
                .keyType(KeyType.HASH)
                .build());
        if (keys.sortKey() != null) {
            elements.add(KeySchemaElement.builder()
                    .attributeName(keys.sortKey())
                    .keyType(KeyType.RANGE)
                    .build());
        }
        return elements;
    }
}
