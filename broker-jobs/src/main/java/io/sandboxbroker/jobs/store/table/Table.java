package io.sandboxbroker.jobs.store.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Low-level access to the Quartz table: consistent gets, conditional puts, deletes and paginated
 * queries. A failed condition is a {@code false} result, never an exception, and a conditional write that
 * fails only because its own earlier attempt was applied (the SDK retried it) is a {@code true} result.
 */
public final class Table {
    private static final int BATCH_GET_LIMIT = 100;
    private final DynamoDbClient client;
    private final String name;

    public Table(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public DynamoDbClient client() {
        return client;
    }

    public static String newVersion() {
        return UUID.randomUUID().toString();
    }

    public static Map<String, AttributeValue> key(String pk) {
        return Map.of(Attr.PK, s(pk));
    }

    public Optional<Map<String, AttributeValue>> get(String pk) {
        Map<String, AttributeValue> item = client.getItem(
                        b -> b.tableName(name).key(key(pk)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Puts unconditionally. */
    public void put(Map<String, AttributeValue> item) {
        client.putItem(b -> b.tableName(name).item(item));
    }

    /**
     * Puts if the condition holds; false when it does not. An item carrying a version counts as written when
     * the condition fails because an earlier attempt of this very put was applied (see {@link OwnWrite}).
     */
    public boolean put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        String version = str(item, Attr.VERSION);
        return put(item, condition, values, version == null ? OwnWrite.NONE : OwnWrite.wrote(Attr.VERSION, version));
    }

    public boolean put(
            Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values, OwnWrite own) {
        try {
            client.putItem(b -> {
                b.tableName(name)
                        .item(item)
                        .conditionExpression(condition)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (values != null && !values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return ownEarlierAttempt(str(item, Attr.PK), own, e);
        }
    }

    /** Puts only if the stored version is {@code expectedVersion}, or the item is absent when it is null. */
    public boolean putIfVersion(Map<String, AttributeValue> item, String expectedVersion) {
        if (expectedVersion == null) {
            return put(item, Conditions.ABSENT, null);
        }
        return put(item, Conditions.VERSION_IS, Map.of(":v", s(expectedVersion)));
    }

    /** Updates if the condition holds; false when it does not. Only for writes a repeat cannot fool (see the overload). */
    public boolean update(String pk, String update, String condition, Map<String, AttributeValue> values) {
        return update(pk, update, condition, values, OwnWrite.NONE);
    }

    /** Updates if the condition holds; false when it does not, unless {@code own} finds our earlier attempt applied. */
    public boolean update(
            String pk, String update, String condition, Map<String, AttributeValue> values, OwnWrite own) {
        try {
            client.updateItem(b -> {
                b.tableName(name).key(key(pk)).updateExpression(update);
                if (condition != null) {
                    b.conditionExpression(condition)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                }
                if (values != null && !values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return ownEarlierAttempt(pk, own, e);
        }
    }

    /** Updates unconditionally (a repeat must be harmless) and returns the item as it was before. */
    public Optional<Map<String, AttributeValue>> updateReturningOld(
            String pk, String update, Map<String, AttributeValue> values) {
        UpdateItemResponse response = client.updateItem(b -> b.tableName(name)
                .key(key(pk))
                .updateExpression(update)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_OLD));
        return response.hasAttributes() && !response.attributes().isEmpty()
                ? Optional.of(response.attributes())
                : Optional.empty();
    }

    /** Consistent reads of many items (absent ones are left out), in batches as DynamoDB allows. */
    public List<Map<String, AttributeValue>> getAll(Collection<String> pks) {
        return getAll(pks, List.of());
    }

    /**
     * As {@link #getAll(Collection)}, reading only {@code attributes} (all of them when empty): a job's long trigger
     * list, for one, need not travel with every read of the job.
     */
    public List<Map<String, AttributeValue>> getAll(Collection<String> pks, List<String> attributes) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(pks));
        for (int from = 0; from < all.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys =
                    all.subList(from, Math.min(all.size(), from + BATCH_GET_LIMIT)).stream()
                            .map(Table::key)
                            .toList();
            KeysAndAttributes.Builder batch =
                    KeysAndAttributes.builder().keys(keys).consistentRead(true);
            if (!attributes.isEmpty()) {
                Map<String, String> names = new HashMap<>();
                for (int i = 0; i < attributes.size(); i++) {
                    names.put("#a" + i, attributes.get(i));
                }
                batch.projectionExpression(String.join(",", new java.util.TreeSet<>(names.keySet())))
                        .expressionAttributeNames(names);
            }
            Map<String, KeysAndAttributes> request = Map.of(name, batch.build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(pending));
                found.addAll(response.responses().getOrDefault(name, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    /** Every item of a sparse index (all pages); candidates only, as the index may lag the table. */
    public List<Map<String, AttributeValue>> scanIndex(String index) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(name).indexName(index)).items().forEach(items::add);
        return items;
    }

    /**
     * Every item whose pk begins with {@code pkPrefix}, read from the base table with consistent reads, all pages: for
     * decisions that must see every item written before, which an index may not show yet. Reads the whole table, so
     * only for rare operations (groups paused or resumed, calendars changed, everything cleared).
     */
    public List<Map<String, AttributeValue>> scan(String pkPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(name)
                        .consistentRead(true)
                        .filterExpression("begins_with(" + Attr.PK + ", :prefix)")
                        .expressionAttributeValues(Map.of(":prefix", s(pkPrefix))))
                .items()
                .forEach(items::add);
        return items;
    }

    /** Every item of the base table, read consistently, all pages. */
    public List<Map<String, AttributeValue>> scanAll() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(name).consistentRead(true))
                .items()
                .forEach(items::add);
        return items;
    }

    /**
     * The item as it is now decides whether a write whose condition failed had in fact been applied by an earlier
     * attempt. DynamoDB returns that item with the failure (ALL_OLD on condition failure); where it does not (an
     * absent item, or dynalite) it is read consistently.
     */
    private boolean ownEarlierAttempt(String pk, OwnWrite own, ConditionalCheckFailedException failure) {
        if (own == OwnWrite.NONE) {
            return false;
        }
        Optional<Map<String, AttributeValue>> current =
                failure.hasItem() && !failure.item().isEmpty() ? Optional.of(failure.item()) : get(pk);
        return own.appliedIn(current);
    }

    /**
     * Deletes; returns the item as it was if there was one. Read first, because a retried delete whose first
     * attempt was applied returns nothing: the answer would be wrong, not the table.
     */
    public Optional<Map<String, AttributeValue>> delete(String pk) {
        Optional<Map<String, AttributeValue>> current = get(pk);
        if (current.isEmpty()) {
            return current;
        }
        try {
            DeleteItemResponse response = client.deleteItem(b -> b.tableName(name)
                    .key(key(pk))
                    .conditionExpression(Conditions.PRESENT)
                    .returnValues(ReturnValue.ALL_OLD));
            return response.hasAttributes() && !response.attributes().isEmpty()
                    ? Optional.of(response.attributes())
                    : current;
        } catch (ConditionalCheckFailedException goneMeanwhile) {
            // our earlier attempt, or a concurrent delete: it was there when we read it and is gone now
            return current;
        }
    }

    /**
     * Updates an existing item and returns it as written (a strongly consistent image), or empty when the item is
     * absent. Only for updates that may be repeated harmlessly, such as removing a member from a set.
     */
    public Optional<Map<String, AttributeValue>> updateExisting(
            String pk, String update, Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse response = client.updateItem(b -> b.tableName(name)
                    .key(key(pk))
                    .updateExpression(update)
                    .conditionExpression(Conditions.PRESENT)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(response.attributes());
        } catch (ConditionalCheckFailedException absent) {
            return Optional.empty();
        }
    }

    /** Deletes whatever is there; a repeat is harmless, so the caller learns nothing and needs nothing. */
    public void remove(String pk) {
        client.deleteItem(b -> b.tableName(name).key(key(pk)));
    }

    /** Deletes if the condition holds; false when it does not, unless {@code own} finds our earlier attempt applied. */
    public boolean delete(String pk, String condition, Map<String, AttributeValue> values, OwnWrite own) {
        try {
            client.deleteItem(b -> b.tableName(name)
                    .key(key(pk))
                    .conditionExpression(condition)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return ownEarlierAttempt(pk, own, e);
        }
    }

    /** All items of an index partition (every page), optionally with a {@code begins_with} on the sort key. */
    public List<Map<String, AttributeValue>> queryIndex(
            String index, String partitionAttr, String partition, String sortAttr, String sortPrefix) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", s(partition));
        String condition = partitionAttr + " = :p";
        if (sortPrefix != null && !sortPrefix.isEmpty()) {
            condition += " AND begins_with(" + sortAttr + ", :sp)";
            values.put(":sp", s(sortPrefix));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(name)
                    .indexName(index)
                    .keyConditionExpression(condition)
                    .expressionAttributeValues(values);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = client.query(request.build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** Counts the items of an index partition without reading them. */
    public int countIndex(String index, String partitionAttr, String partition) {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(name)
                    .indexName(index)
                    .select(Select.COUNT)
                    .keyConditionExpression(partitionAttr + " = :p")
                    .expressionAttributeValues(Map.of(":p", s(partition)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = client.query(request.build());
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** Due triggers of one shard, earliest first, at most {@code limit}. */
    public List<Map<String, AttributeValue>> queryDue(String shard, long noLaterThan, int limit) {
        return client.query(b -> b.tableName(name)
                        .indexName(QuartzTable.DUE_INDEX)
                        .keyConditionExpression(Attr.DUE_SHARD + " = :s AND " + Attr.NEXT_FIRE + " <= :t")
                        .expressionAttributeValues(Map.of(":s", s(shard), ":t", n(noLaterThan)))
                        .scanIndexForward(true)
                        .limit(limit))
                .items();
    }

    /** The wake counter (0 before the first bump), read consistently. */
    public long readWake() {
        Long wake = get(Keys.WAKE).map(item -> num(item, Attr.WAKE)).orElse(null);
        return wake == null ? 0L : wake;
    }

    /** Bumps the wake counter; unconditional, so a retried bump only counts twice, which is harmless. */
    public void bumpWake() {
        client.updateItem(b -> b.tableName(name)
                .key(key(Keys.WAKE))
                .updateExpression("ADD " + Attr.WAKE + " :one")
                .expressionAttributeValues(Map.of(":one", n(1))));
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static String str(Map<String, AttributeValue> item, String attr) {
        AttributeValue value = item.get(attr);
        return value == null ? null : value.s();
    }

    public static Long num(Map<String, AttributeValue> item, String attr) {
        AttributeValue value = item.get(attr);
        return value == null || value.n() == null ? null : Long.parseLong(value.n());
    }

    public static boolean flag(Map<String, AttributeValue> item, String attr) {
        AttributeValue value = item.get(attr);
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
