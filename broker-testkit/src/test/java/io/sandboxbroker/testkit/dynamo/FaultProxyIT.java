package io.sandboxbroker.testkit.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sandboxbroker.testkit.Dynalite;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Each fault of the proxy, seen by the real SDK client against a real dynalite. */
class FaultProxyIT {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static Dynalite dynalite;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        dynalite.close();
    }

    @Test
    void appliedThen500MakesTheSdkRetryAWriteThatAlreadyHappened() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        Fault.appliedThen500().on("PutItem").times(1));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20))) {
            String table = table(client);

            assertThatThrownBy(() -> putIfAbsent(client, table, "k1", "token-1"))
                    .isInstanceOf(ConditionalCheckFailedException.class);

            assertThat(token(client, table, "k1")).isEqualTo("token-1");
            assertThat(proxy.injected("applied_then_500[PutItem]")).isEqualTo(1);
            System.out.println(proxy);
        }
    }

    @Test
    void appliedThenResetMakesTheSdkRetryAWriteThatAlreadyHappened() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(), Fault.appliedThenReset().times(1));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20))) {
            String table = table(client);

            assertThatThrownBy(() -> putIfAbsent(client, table, "k1", "token-1"))
                    .isInstanceOf(ConditionalCheckFailedException.class);

            assertThat(token(client, table, "k1")).isEqualTo("token-1");
            assertThat(proxy.counts()).containsEntry("applied_then_reset", 1L);
        }
    }

    @Test
    void appliedThenStallOutlastsTheAttemptTimeoutAndTheSdkRetries() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        Fault.appliedThenStall(Duration.ofSeconds(3))
                                .on("UpdateItem")
                                .times(1));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofMillis(800))) {
            String table = table(client);
            putIfAbsent(client, table, "k1", "v1");

            // Conditional on the old value: the applied first attempt makes the retry's condition fail.
            assertThatThrownBy(() -> client.updateItem(b -> b.tableName(table)
                            .key(key("k1"))
                            .updateExpression("SET tok = :new")
                            .conditionExpression("tok = :old")
                            .expressionAttributeValues(Map.of(":new", s("v2"), ":old", s("v1")))))
                    .isInstanceOf(ConditionalCheckFailedException.class);

            assertThat(token(client, table, "k1")).isEqualTo("v2");
            assertThat(proxy.injected("applied_then_stall[UpdateItem]")).isEqualTo(1);
        }
    }

    @Test
    void throttlingComesInBurstsWithDynamoDbsErrorTypesAndIsNotForwarded() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        1L,
                        Fault.provisionedThroughputExceeded()
                                .on("PutItem")
                                .burst(3)
                                .times(3),
                        Fault.throttling().on("Scan").times(1));
                DynamoDbClient noRetries = client(proxy.endpoint(), Duration.ofSeconds(20), 1);
                DynamoDbClient retrying = client(proxy.endpoint(), Duration.ofSeconds(20), 5)) {
            String table = table(noRetries);

            assertThatThrownBy(() -> putIfAbsent(noRetries, table, "k1", "v1"))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThat(noRetries
                            .getItem(b -> b.tableName(table).key(key("k1")).consistentRead(true))
                            .hasItem())
                    .as("a throttled write is not applied")
                    .isFalse();
            // The rest of the burst: two more throttles, then the write goes through without a condition failure.
            putIfAbsent(retrying, table, "k1", "v1");
            assertThat(proxy.injected("provisioned_throughput_exceeded[PutItem]"))
                    .isEqualTo(3);

            assertThatThrownBy(() -> noRetries.scan(b -> b.tableName(table)))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.isThrottlingException()).isTrue();
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
            assertThat(proxy.injected("throttling[Scan]")).isEqualTo(1);
        }
    }

    @Test
    void latencyDelaysTheCall() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        Fault.latency(Duration.ofMillis(400), Duration.ofMillis(400))
                                .on("GetItem"));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20))) {
            String table = table(client);
            long start = System.nanoTime();

            client.getItem(b -> b.tableName(table).key(key("absent")));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(proxy.injected("latency[GetItem]")).isEqualTo(1);
        }
    }

    @Test
    void indexReadsSeeTheTableAsItWasIncludingItemsThatLeftTheIndex() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(), Fault.indexLag(Duration.ofSeconds(2), Duration.ofSeconds(3)));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20))) {
            String table = table(client);

            client.putItem(b -> b.tableName(table).item(Map.of("pk", s("k1"), "tok", s("v1"), "grp", s("g"))));
            assertThat(inIndex(client, table))
                    .as("just written, not yet in the index")
                    .isEmpty();
            assertThat(token(client, table, "k1"))
                    .as("the table itself is current")
                    .isEqualTo("v1");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> inIndex(client, table).equals(List.of("k1")));

            client.updateItem(b -> b.tableName(table).key(key("k1")).updateExpression("REMOVE grp"));
            assertThat(inIndex(client, table))
                    .as("left the index, still seen there")
                    .containsExactly("k1");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> inIndex(client, table).isEmpty());

            assertThat(proxy.injected("index_lag")).isGreaterThanOrEqualTo(4);
            assertThat(proxy.pendingIndexUpdates()).isZero();
            System.out.println(proxy);
        }
    }

    @Test
    void rulesCanBeSwitchedOffAndOnAtRuntime() {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(), Fault.appliedThen500().named("boom"));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20), 1)) {
            String table = table(client);
            proxy.disable();
            putIfAbsent(client, table, "k1", "v1");
            proxy.enable();
            proxy.disable("boom");
            putIfAbsent(client, table, "k2", "v2");
            assertThat(proxy.injected("boom")).isZero();

            proxy.enable("boom");
            assertThatThrownBy(() -> putIfAbsent(client, table, "k3", "v3"))
                    .isInstanceOfSatisfying(
                            DynamoDbException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(token(client, table, "k3"))
                    .as("applied although it failed")
                    .isEqualTo("v3");
            assertThat(proxy.injected("boom")).isEqualTo(1);
        }
    }

    @Test
    void theSameSeedInjectsTheSameFaultsIntoTheSameRequests() {
        assertThat(throttledCalls(7L)).isEqualTo(throttledCalls(7L)).isNotEqualTo(throttledCalls(8L));
    }

    private static List<Integer> throttledCalls(long seed) {
        try (FaultProxy proxy = FaultProxy.start(
                        dynalite.endpoint(),
                        seed,
                        Fault.throttling().on("GetItem").probability(0.5));
                DynamoDbClient client = client(proxy.endpoint(), Duration.ofSeconds(20), 1)) {
            String table = table(client);
            List<Integer> throttled = new ArrayList<>();
            for (int call = 0; call < 30; call++) {
                try {
                    client.getItem(b -> b.tableName(table).key(key("k")));
                } catch (DynamoDbException e) {
                    throttled.add(call);
                }
            }
            return throttled;
        }
    }

    private static List<String> inIndex(DynamoDbClient client, String table) {
        return client
                .query(b -> b.tableName(table)
                        .indexName("byGroup")
                        .keyConditionExpression("grp = :g")
                        .expressionAttributeValues(Map.of(":g", s("g"))))
                .items()
                .stream()
                .map(item -> item.get("pk").s())
                .toList();
    }

    private static void putIfAbsent(DynamoDbClient client, String table, String pk, String token) {
        client.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s(pk), "tok", s(token)))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    private static String token(DynamoDbClient client, String table, String pk) {
        return client.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true))
                .item()
                .get("tok")
                .s();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String table(DynamoDbClient client) {
        String name = "proxy-" + TABLES.incrementAndGet();
        client.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName("pk")
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName("grp")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName("pk")
                        .keyType(KeyType.HASH)
                        .build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("byGroup")
                        .keySchema(KeySchemaElement.builder()
                                .attributeName("grp")
                                .keyType(KeyType.HASH)
                                .build())
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build()));
        // dynalite answers CreateTable before the table is ACTIVE
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        client.describeTable(b -> b.tableName(name)).table().tableStatus() == TableStatus.ACTIVE);
        return name;
    }

    private static DynamoDbClient client(URI endpoint, Duration attemptTimeout) {
        return client(endpoint, attemptTimeout, 3);
    }

    private static DynamoDbClient client(URI endpoint, Duration attemptTimeout, int maxAttempts) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts)
                                .build())
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(Duration.ofSeconds(30))
                        .build())
                .build();
    }
}
