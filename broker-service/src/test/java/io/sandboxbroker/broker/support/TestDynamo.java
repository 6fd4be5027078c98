package io.sandboxbroker.broker.support;

import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.testkit.Dynalite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** One dynalite process for the whole test JVM; each test class uses its own tables. */
public final class TestDynamo {
    private static Dynalite shared;
    private static DynamoDbClient client;

    private TestDynamo() {}

    public static synchronized Dynalite dynalite() {
        if (shared == null) {
            shared = Dynalite.start();
        } else if (!shared.isRunning()) {
            // dynalite (a Node process) was once seen gone right after a test that SIGKILLs a jobs
            // JVM in the middle of its requests; one such exit must not fail every test class after
            // it. It comes back empty on the same port, and each class creates its own tables.
            System.err.println("TestDynamo: the shared dynalite exited (" + shared.lastOutput() + "); restarting it");
            shared.restart();
        }
        return shared;
    }

    public static String endpoint() {
        return dynalite().endpoint().toString();
    }

    /** A client for test set-up and for checking invariants in the table. */
    public static synchronized DynamoDbClient client() {
        dynalite(); // brings it back if it went away
        if (client == null) {
            client = clientFor(dynalite());
        }
        return client;
    }

    public static DynamoDbClient clientFor(Dynalite dynalite, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(dynalite.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> Arrays.stream(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    /** A client of its own on the shared dynalite, for a test that counts or watches its calls. */
    public static DynamoDbClient clientWith(ExecutionInterceptor... interceptors) {
        return clientFor(dynalite(), interceptors);
    }

    public static String uniqueTable(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A new on-demand table keyed by string attributes, the first the partition key and a second, if
     * given, the sort key: for a test of the client itself rather than of the broker's tables.
     */
    public static String keyTable(String prefix, String partitionKey, String... sortKey) {
        String table = uniqueTable(prefix);
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> attributes = new ArrayList<>();
        keys.add(KeySchemaElement.builder()
                .attributeName(partitionKey)
                .keyType(KeyType.HASH)
                .build());
        for (String name : sortKey) {
            keys.add(KeySchemaElement.builder()
                    .attributeName(name)
                    .keyType(KeyType.RANGE)
                    .build());
        }
        keys.forEach(key -> attributes.add(AttributeDefinition.builder()
                .attributeName(key.attributeName())
                .attributeType(ScalarAttributeType.S)
                .build()));
        client().createTable(b -> b.tableName(table)
                .keySchema(keys)
                .attributeDefinitions(attributes)
                .billingMode(BillingMode.PAY_PER_REQUEST));
        PoolTable.awaitActive(client(), table);
        return table;
    }
}
