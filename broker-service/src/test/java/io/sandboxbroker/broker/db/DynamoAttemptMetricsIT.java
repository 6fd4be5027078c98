package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.config.DynamoConfig;
import io.sandboxbroker.broker.metrics.MetricNames;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The failed-attempt counters of the broker's DynamoDB client, built as production builds it
 * ({@link DynamoClients}), through the fault proxy: each kind of failed attempt is counted once
 * under its type, and an answer that is part of the protocol (a failed condition) is not a failure.
 */
class DynamoAttemptMetricsIT {
    private static String TABLE;

    private final MetricRegistry metrics = new MetricRegistry();
    private FaultProxy proxy;
    private DynamoDbClient client;

    @BeforeAll
    static void table() {
        TABLE = TestDynamo.keyTable("attempt-metrics", "pk");
    }

    @AfterEach
    void close() {
        client.close();
        proxy.close();
    }

    private void clientThrough(Fault fault) {
        proxy = FaultProxy.start(
                TestDynamo.dynalite().endpoint(), fault.table(TABLE).named("rule"));
        DynamoConfig config = new DynamoConfig(
                TABLE,
                "unused",
                "us-east-1",
                proxy.endpoint().toString(),
                false,
                8,
                10,
                Duration.milliseconds(300),
                Duration.seconds(5),
                4,
                Duration.milliseconds(1),
                Duration.milliseconds(1),
                Duration.milliseconds(5));
        client = DynamoClients.build(config, new DynamoAttemptMetrics(metrics));
    }

    private void put(String key) {
        client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(key))));
    }

    /** Every counter of this client that is not zero. */
    private Map<String, Long> counted() {
        Map<String, Long> counted = new TreeMap<>();
        metrics.getCounters().forEach((name, counter) -> {
            if (counter.getCount() > 0) {
                counted.put(name, counter.getCount());
            }
        });
        return counted;
    }

    private static String errors(String type) {
        return MetricNames.labelled(DynamoAttemptMetrics.ATTEMPT_ERRORS, "type", type);
    }

    @Test
    void throttledAttempts_areCountedAsThrottles_andTheCallSucceeds() {
        clientThrough(Fault.throttling().on("PutItem").times(2));

        put("throttled");

        assertThat(proxy.injected("rule")).isEqualTo(2);
        assertThat(counted()).containsExactly(Map.entry(DynamoAttemptMetrics.THROTTLES, 2L));
    }

    @Test
    void aCallThrottledOnEveryAttempt_failsAfterItsAttempts_eachCounted() {
        clientThrough(Fault.throttling().on("PutItem"));

        assertThatThrownBy(() -> put("always-throttled")).isInstanceOf(DynamoDbException.class);

        assertThat(proxy.injected("rule")).isEqualTo(4);
        assertThat(counted()).containsExactly(Map.entry(DynamoAttemptMetrics.THROTTLES, 4L));
    }

    @Test
    void attemptsOverCapacity_areCountedAsThrottles() {
        clientThrough(Fault.provisionedThroughputExceeded().on("PutItem").times(1));

        put("over-capacity");

        assertThat(counted()).containsExactly(Map.entry(DynamoAttemptMetrics.THROTTLES, 1L));
    }

    @Test
    void anAttemptAnswered500_isAServerError() {
        clientThrough(Fault.appliedThen500().on("PutItem").times(1));

        put("server-error");

        assertThat(counted()).containsExactly(Map.entry(errors("server_error"), 1L));
    }

    @Test
    void anAttemptWithoutAnAnswerWithinTheAttemptTimeout_isAConfiguredTimeout() {
        clientThrough(Fault.appliedThenStall(java.time.Duration.ofSeconds(2))
                .on("PutItem")
                .times(1));

        put("stalled");

        assertThat(counted()).containsExactly(Map.entry(errors("configured_timeout"), 1L));
    }

    @Test
    void anAttemptWhoseConnectionWasClosed_isAnIoError() {
        clientThrough(Fault.appliedThenReset().on("PutItem").times(1));

        put("reset");

        assertThat(counted()).containsExactly(Map.entry(errors("io"), 1L));
    }

    @Test
    void aFailedCondition_isAnAnswer_notAFailedAttempt() {
        clientThrough(Fault.throttling().probability(0));
        put("taken");

        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE)
                        .item(Map.of("pk", AttributeValue.fromS("taken")))
                        .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);

        assertThat(counted()).isEmpty();
    }
}
