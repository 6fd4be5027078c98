package io.sandboxbroker.broker.db;

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
 *   <li>{@value #CLAIMS_INDEX}: learner claims by the hour they were created, sorted by
 *       {@code created_at}, so the reconciler queries the last few hours instead of scanning. Only
 *       claim items carry {@code claim_hour}; it is written in the claim's own put, so allocation
 *       pays no extra call.</li>
 *   <li>Also on the base key: {@code STATS#pool}/{@code STATS} (pool statistics),
 *       {@code CLEANUP#<sandbox id>}/{@code <finished at>} (clean-up history) and
 *       {@code JOBRUN#<job>}/{@code <started at>#<run id>} (job runs) and
 *       {@code USAGE#<UTC hour>}/{@code USAGE} (hourly allocation counts), the last three with a TTL.</li>
 * </ul>
 */
public final class PoolTable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolTable.class);

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String AVAILABLE_INDEX = "available-by-shard";
    public static final String STATUS_INDEX = "by-status";
    public static final String CLAIMS_INDEX = "claims-by-hour";
    /** Claim items only: the UTC hour of creation ({@code 2025-05-01T13}), written with the claim. */
    public static final String CLAIM_HOUR = "claim_hour";
    /** Claim items: creation time in epoch seconds (other items use the same name, but not {@link #CLAIM_HOUR}). */
    public static final String CREATED_AT = "created_at";

    private PoolTable() {}

    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        string(PK),
                        string(SK),
                        string(SandboxItem.AVAIL_SHARD),
                        string(SandboxItem.NAME),
                        string(SandboxItem.STATUS),
                        string(CLAIM_HOUR),
                        number(CREATED_AT))
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder()
                                .indexName(AVAILABLE_INDEX)
                                .keySchema(hash(SandboxItem.AVAIL_SHARD), range(SandboxItem.NAME))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes(SandboxItem.SANDBOX_ID)
                                        .build())
                                .build(),
                        GlobalSecondaryIndex.builder()
                                .indexName(STATUS_INDEX)
                                .keySchema(hash(SandboxItem.STATUS), range(SandboxItem.NAME))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.ALL)
                                        .build())
                                .build(),
                        GlobalSecondaryIndex.builder()
                                .indexName(CLAIMS_INDEX)
                                .keySchema(hash(CLAIM_HOUR), range(CREATED_AT))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes(
                                                DynamoClaimStore.LEARNER_ID,
                                                DynamoClaimStore.SANDBOX_ID,
                                                DynamoClaimStore.IDEMPOTENCY_KEY)
                                        .build())
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

    /**
     * Until the table takes requests: a new table answers "not found" while it is being created
     * (dynalite's too, for a moment). The SDK's waiter polls every 20 s; local tables are ready
     * within milliseconds.
     */
    public static void awaitActive(DynamoDbClient dynamo, String tableName) {
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
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static AttributeDefinition number(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.N)
                .build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder()
                .attributeName(name)
                .keyType(KeyType.HASH)
                .build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder()
                .attributeName(name)
                .keyType(KeyType.RANGE)
                .build();
    }
}
