package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;

import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryPage;
import io.sandboxbroker.broker.core.SandboxHistory;
import io.sandboxbroker.broker.core.SandboxId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Sandbox history on DynamoDB (see {@link HistoryItems} for where entries live). Reading merges
 * the event items, by key, with the item's tail, by a consistent read: an entry is always in at
 * least one of the two, because it is copied (an idempotent put under a key derived from the
 * entry) before it is trimmed (conditional on the tail still starting with it).
 */
public final class DynamoSandboxHistory implements SandboxHistory {
    /** Cursors are sort keys of the last entry returned. */
    private static final Pattern CURSOR = Pattern.compile("\\d{12}\\.\\d{10}");

    private static final int BATCH = 25;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoSandboxHistory(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public HistoryPage page(SandboxId id, int limit, Optional<String> cursor) {
        String after = cursor.map(DynamoSandboxHistory::checked).orElse("");
        TreeMap<String, HistoryEntry> found = new TreeMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(HistoryItems.PREFIX + id.value()));
        String condition = "pk = :pk";
        if (!after.isEmpty()) {
            condition += " AND sk > :after";
            values.put(":after", s(after));
        }
        String keyCondition = condition;
        // One more than asked: tells whether a next page exists without another call.
        QueryResponse events = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(keyCondition)
                .expressionAttributeValues(values)
                .consistentRead(true)
                .limit(limit + 1));
        events.items().forEach(item -> {
            HistoryEntry entry = HistoryItems.fromEvent(item);
            found.put(HistoryItems.sortKey(entry), entry);
        });
        boolean moreEvents =
                events.hasLastEvaluatedKey() && !events.lastEvaluatedKey().isEmpty();
        if (found.size() <= limit && !moreEvents) {
            // The newest entries may still sit in the sandbox item only.
            Map<String, AttributeValue> item = dynamo.getItem(
                            b -> b.tableName(table).key(SandboxItem.key(id)).consistentRead(true))
                    .item();
            if (item != null && !item.isEmpty()) {
                HistoryItems.tail(item).stream()
                        .filter(entry -> HistoryItems.sortKey(entry).compareTo(after) > 0)
                        .forEach(entry -> found.put(HistoryItems.sortKey(entry), entry));
            }
        }
        List<HistoryEntry> page = new ArrayList<>(found.values()).subList(0, Math.min(limit, found.size()));
        boolean more = found.size() > limit || moreEvents;
        return new HistoryPage(
                List.copyOf(page),
                more && !page.isEmpty()
                        ? Optional.of(HistoryItems.sortKey(page.get(page.size() - 1)))
                        : Optional.empty());
    }

    private static String checked(String cursor) {
        if (!CURSOR.matcher(cursor).matches()) {
            throw PageCursor.invalid();
        }
        return cursor;
    }

    /**
     * Copies the item's tail to event items, then empties it, unless the tail meanwhile changed
     * (another write appended, or another process archived first): then the next write that finds
     * it long archives again, and the copies already made are simply written once more.
     */
    void archive(SandboxId id, Map<String, AttributeValue> item) {
        List<HistoryEntry> tail = HistoryItems.tail(item);
        if (tail.isEmpty()) {
            return;
        }
        record(id, tail);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(SandboxItem.key(id))
                    .updateExpression("REMOVE #tail")
                    .conditionExpression("size(#tail) = :size AND #tail[0].id = :first")
                    .expressionAttributeNames(Map.of("#tail", HistoryItems.TAIL))
                    .expressionAttributeValues(
                            Map.of(":first", s(HistoryItems.firstId(item)), ":size", Attributes.n(tail.size()))));
        } catch (ConditionalCheckFailedException alreadyTrimmed) {
            // another archiver copied and trimmed the same entries
        }
    }

    /** Idempotent puts: the same entry always lands under the same key with the same content. */
    void record(SandboxId id, List<HistoryEntry> entries) {
        for (int start = 0; start < entries.size(); start += BATCH) {
            List<WriteRequest> puts = entries.subList(start, Math.min(entries.size(), start + BATCH)).stream()
                    .map(entry -> WriteRequest.builder()
                            .putRequest(PutRequest.builder()
                                    .item(HistoryItems.event(id, entry, retention))
                                    .build())
                            .build())
                    .toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, puts);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }
}
