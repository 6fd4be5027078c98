package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;

import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.PoolStatsStore;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Pool statistics in one item, {@code STATS#pool}/{@code STATS}: {@code computed_at_ms},
 * {@code by_status} (status → count), {@code by_group} (group → status → count, bounded in size by
 * {@link PoolStats#MAX_GROUPS}) and {@code deleted_counted_at_ms}. One read serves every scrape
 * and admin page.
 */
public final class DynamoPoolStatsStore implements PoolStatsStore {
    private static final Map<String, AttributeValue> KEY =
            Map.of(PoolTable.PK, s("STATS#pool"), PoolTable.SK, s("STATS"));
    /** Two processes counting at once: the older count must not replace the newer. */
    private static final String NEWER_CONDITION = "attribute_not_exists(pk) OR computed_at_ms <= :at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPoolStatsStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<PoolStats> read() {
        Map<String, AttributeValue> item =
                dynamo.getItem(b -> b.tableName(table).key(KEY)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<SandboxStatus, Long>> groups = new TreeMap<>();
        item.get("by_group").m().forEach((group, counts) -> groups.put(group, counts(counts.m())));
        Instant computedAt = Instant.ofEpochMilli(Attributes.number(item, "computed_at_ms", 0));
        Instant deletedCountedAt = item.containsKey("deleted_counted_at_ms")
                ? Instant.ofEpochMilli(Attributes.number(item, "deleted_counted_at_ms", 0))
                : computedAt;
        return Optional.of(
                new PoolStats(computedAt, counts(item.get("by_status").m()), groups, deletedCountedAt));
    }

    @Override
    public boolean write(PoolStats stats) {
        Map<String, AttributeValue> groups = new HashMap<>();
        stats.byGroup().forEach((group, counts) -> groups.put(group, AttributeValue.fromM(wire(counts))));
        Map<String, AttributeValue> item = new HashMap<>(KEY);
        item.put("computed_at_ms", Attributes.n(stats.computedAt().toEpochMilli()));
        item.put("by_status", AttributeValue.fromM(wire(stats.byStatus())));
        item.put("by_group", AttributeValue.fromM(groups));
        item.put("deleted_counted_at_ms", Attributes.n(stats.deletedCountedAt().toEpochMilli()));
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item)
                    .conditionExpression(NEWER_CONDITION)
                    .expressionAttributeValues(
                            Map.of(":at", Attributes.n(stats.computedAt().toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException newerStored) {
            return false;
        }
    }

    private static Map<String, AttributeValue> wire(Map<SandboxStatus, Long> counts) {
        Map<String, AttributeValue> wire = new HashMap<>();
        counts.forEach((status, count) -> wire.put(status.wire(), Attributes.n(count)));
        return wire;
    }

    private static Map<SandboxStatus, Long> counts(Map<String, AttributeValue> wire) {
        Map<SandboxStatus, Long> counts = new EnumMap<>(SandboxStatus.class);
        wire.forEach((status, count) ->
                SandboxStatus.parse(status).ifPresent(parsed -> counts.put(parsed, Long.parseLong(count.n()))));
        return counts;
    }
}
