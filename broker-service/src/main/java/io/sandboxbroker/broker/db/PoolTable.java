package io.sandboxbroker.broker.db;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The pool table: sandboxes, learner claims and idempotency-key bindings (and, later, job
 * history and pool stats) under their own key prefixes. Terraform declares the same layout.
 *
 * <ul>
 *   <li>Base key {@code pk}/{@code sk}: {@code SANDBOX#<id>}/{@code SANDBOX},
 *       {@code LEARNER#<id>}/{@code CLAIM}, {@code IDEMPOTENCY#<key>}/{@code KEY}.</li>
 *   <li>{@value #AVAILABLE_INDEX}: sparse (only available sandboxes carry {@code avail_shard}),
 *       sharded at random so concurrent callers spread out, sorted by name so a name prefix is
 *       a {@code begins_with} key condition.</li>
 *   <li>{@value #STATUS_INDEX}: every sandbox by status, sorted by name, for admin lists, stats
 *       and sweeps. Only sandbox items carry {@code status}.</li>
 * </ul>
 */
public final class PoolTable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolTable.class);

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String AVAILABLE_INDEX = "available-by-shard";
    public static final String STATUS_INDEX = "by-status";

    private PoolTable() {
    }

    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        string(PK), string(SK), string(SandboxItem.AVAIL_SHARD), string(SandboxItem.NAME),
                        string(SandboxItem.STATUS))
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder()
                                .indexName(AVAILABLE_INDEX)
                                .keySchema(hash(SandboxItem.AVAIL_SHARD), range(SandboxItem.NAME))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes(SandboxItem.SANDBOX_ID).build())
                                .build(),
                        GlobalSecondaryIndex.builder()
                                .indexName(STATUS_INDEX)
                                .keySchema(hash(SandboxItem.STATUS), range(SandboxItem.NAME))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                                .build())
                .build();
    }

    /** Creates the table for local runs and tests; in AWS, Terraform owns it. */
    public static void createIfMissing(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.createTable(definition(tableName));
            awaitActive(dynamo, tableName);
            LOG.info("action=create_table table={} outcome=created", tableName);
        } catch (ResourceInUseException exists) {
            LOG.debug("table {} exists", tableName);
        }
    }

    /** The SDK's waiter polls every 20 s; local tables are ready within milliseconds. */
    private static void awaitActive(DynamoDbClient dynamo, String tableName) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (dynamo.describeTable(b -> b.tableName(tableName)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + tableName + " did not become active");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating " + tableName, e);
            }
        }
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    static List<String> keyAttributes() {
        return List.of(PK, SK);
    }
}
