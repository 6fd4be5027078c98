package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;

import io.sandboxbroker.broker.core.Delivery;
import io.sandboxbroker.broker.core.Event;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.WebhookOutbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Webhook deliveries, {@code WEBHOOKS}/{@code <event id>#<webhook>}: the event (id, type, time,
 * details), {@code status} pending → delivered | failed, {@code attempts}, {@code next_attempt_at},
 * {@code last_error}; a {@code ttl} of 30 days once final. Events are edge-triggered and few, so the
 * pending ones are found by reading the one partition, not through an index.
 */
public final class DynamoWebhookOutbox implements WebhookOutbox {
    private static final String PARTITION = "WEBHOOKS";
    private static final Duration RETENTION = Duration.ofDays(30);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoWebhookOutbox(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void enqueue(Delivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>(key(delivery));
        Event event = delivery.event();
        item.put("event_id", s(event.id()));
        item.put("type", s(event.type().wire()));
        item.put("at", Attributes.time(event.at()));
        item.put("details", AttributeValue.fromM(details(event.details())));
        item.put("webhook", s(delivery.webhook()));
        item.put("status", s("pending"));
        item.put("attempts", Attributes.n(delivery.attempts()));
        item.put("next_attempt_at", Attributes.time(delivery.nextAttemptAt()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // The same event announced again (or this put retried after it was applied): one delivery.
        }
    }

    @Override
    public List<Delivery> due(Instant now, int limit) {
        List<Delivery> due = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .filterExpression("#status = :pending AND next_attempt_at <= :now")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                            Map.of(":pk", s(PARTITION), ":pending", s("pending"), ":now", Attributes.time(now)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> due.add(delivery(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return due.stream()
                .sorted(Comparator.comparing((Delivery d) -> d.event().at()).thenComparing(Delivery::key))
                .limit(limit)
                .toList();
    }

    @Override
    public void delivered(Delivery delivery, Instant at) {
        finish(delivery, "delivered", at, null);
    }

    @Override
    public void failed(Delivery delivery, Instant at, String error) {
        finish(delivery, "failed", at, error);
    }

    @Override
    public void retryLater(Delivery delivery, Instant next, String error) {
        update(
                delivery,
                "SET attempts = :attempts, next_attempt_at = :next, last_error = :error",
                Map.of(":next", Attributes.time(next), ":error", s(error)));
    }

    private void finish(Delivery delivery, String status, Instant at, String error) {
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":status", s(status), ":at", Attributes.time(at), ":ttl", Attributes.time(at.plus(RETENTION))));
        String set = "SET attempts = :attempts, #status = :status, finished_at = :at, #ttl = :ttl";
        if (error != null) {
            values.put(":error", s(error));
            set += ", last_error = :error";
        }
        update(delivery, set, values);
    }

    /** Written over the attempt count it was read with; a repeat of this very write finds it done. */
    private void update(Delivery delivery, String expression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":attempts", Attributes.n(delivery.attempts()));
        all.put(":previous", Attributes.n(delivery.attempts() - 1L));
        Map<String, String> names = new HashMap<>();
        if (expression.contains("#status")) {
            names.put("#status", "status");
        }
        if (expression.contains("#ttl")) {
            names.put("#ttl", "ttl");
        }
        try {
            dynamo.updateItem(b -> {
                b.tableName(table)
                        .key(key(delivery))
                        .updateExpression(expression)
                        .conditionExpression("attempts = :previous OR attempts = :attempts")
                        .expressionAttributeValues(all);
                if (!names.isEmpty()) {
                    b.expressionAttributeNames(names);
                }
            });
        } catch (ConditionalCheckFailedException movedOn) {
            // Recorded by a later attempt already; this outcome is history.
        }
    }

    private static Map<String, AttributeValue> key(Delivery delivery) {
        return Map.of(PoolTable.PK, s(PARTITION), PoolTable.SK, s(delivery.key()));
    }

    private static Map<String, AttributeValue> details(Map<String, Object> details) {
        Map<String, AttributeValue> wire = new LinkedHashMap<>();
        details.forEach((name, value) -> wire.put(
                name, value instanceof Number number ? Attributes.n(number.longValue()) : s(String.valueOf(value))));
        return wire;
    }

    private static Delivery delivery(Map<String, AttributeValue> item) {
        Map<String, Object> details = new LinkedHashMap<>();
        item.get("details")
                .m()
                .forEach((name, value) ->
                        details.put(name, value.n() != null ? (Object) Long.parseLong(value.n()) : value.s()));
        Event event = new Event(
                Attributes.string(item, "event_id"),
                EventType.parse(Attributes.string(item, "type")).orElseThrow(),
                Attributes.instant(item, "at"),
                details);
        return new Delivery(
                event,
                Attributes.string(item, "webhook"),
                (int) Attributes.number(item, "attempts", 0),
                Attributes.instant(item, "next_attempt_at"),
                Attributes.string(item, "last_error"));
    }
}
