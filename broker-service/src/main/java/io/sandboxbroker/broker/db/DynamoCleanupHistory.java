package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.instant;
import static io.sandboxbroker.broker.db.Attributes.n;
import static io.sandboxbroker.broker.db.Attributes.number;
import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.string;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.CleanupHistory;
import io.sandboxbroker.broker.core.CleanupOutcome;
import io.sandboxbroker.broker.core.CleanupRecord;
import io.sandboxbroker.broker.core.SandboxId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Clean-up history on the pool table: {@code CLEANUP#<sandbox id>} / {@code <finished at>#<uuid>},
 * expiring through {@code ttl}. Items carry neither {@code status} nor {@code avail_shard}, so no
 * sandbox index ever sees them.
 */
public final class DynamoCleanupHistory implements CleanupHistory {
    private static final String PREFIX = "CLEANUP#";
    /** Each record is new: never overwrite one. */
    private static final String NEW_CONDITION = "attribute_not_exists(pk)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoCleanupHistory(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public void record(CleanupRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PoolTable.PK, s(PREFIX + record.sandboxId().value()));
        item.put(PoolTable.SK, s(SortableTime.format(record.finishedAt()) + "#" + UUID.randomUUID()));
        item.put("sandbox_id", s(record.sandboxId().value()));
        item.put("sandbox_name", s(nonNull(record.name())));
        item.put("external_id", s(nonNull(record.externalId())));
        item.put("outcome", s(record.outcome().name().toLowerCase(java.util.Locale.ROOT)));
        item.put("detail", s(nonNull(record.detail())));
        item.put("attempts", n(record.attempts()));
        item.put("niosxaas_outcome", s(record.niosxaas().kind().name().toLowerCase(java.util.Locale.ROOT)));
        item.put("niosxaas_services", n(record.niosxaas().services()));
        item.put("niosxaas_detail", s(nonNull(record.niosxaas().detail())));
        item.put("finished_at", time(record.finishedAt()));
        item.put("ttl", time(record.finishedAt().plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(NEW_CONDITION));
        } catch (ConditionalCheckFailedException ownEarlierAttempt) {
            // The key is new to this record (its sort key ends in a fresh id), so the item that is
            // already there is our own put, applied on an attempt whose answer was lost and retried.
        }
    }

    @Override
    public List<CleanupRecord> of(SandboxId sandboxId) {
        return dynamo
                .queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PREFIX + sandboxId.value())))
                        .consistentRead(true)
                        .scanIndexForward(false))
                .items()
                .stream()
                .map(item -> new CleanupRecord(
                        sandboxId,
                        string(item, "sandbox_name"),
                        string(item, "external_id"),
                        CleanupRecord.Outcome.valueOf(string(item, "outcome").toUpperCase(java.util.Locale.ROOT)),
                        string(item, "detail"),
                        (int) number(item, "attempts", 0),
                        new CleanupOutcome(
                                CleanupOutcome.Kind.valueOf(
                                        string(item, "niosxaas_outcome").toUpperCase(java.util.Locale.ROOT)),
                                (int) number(item, "niosxaas_services", 0),
                                string(item, "niosxaas_detail")),
                        instant(item, "finished_at")))
                .toList();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
