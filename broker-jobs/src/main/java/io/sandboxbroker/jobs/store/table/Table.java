package io.sandboxbroker.jobs.store.table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Low-level access to the Quartz table: consistent gets, conditional puts, deletes and paginated
 * queries. A failed condition is a {@code false} result, never an exception.
 */
public final class Table {
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
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(name).key(key(pk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Puts unconditionally. */
    public void put(Map<String, AttributeValue> item) {
        client.putItem(b -> b.tableName(name).item(item));
    }

    /** Puts if the condition holds; false when it does not. */
    public boolean put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        try {
            client.putItem(b -> {
                b.tableName(name).item(item).conditionExpression(condition);
                if (values != null && !values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Puts only if the stored version is {@code expectedVersion}, or the item is absent when it is null. */
    public boolean putIfVersion(Map<String, AttributeValue> item, String expectedVersion) {
        if (expectedVersion == null) {
            return put(item, Conditions.ABSENT, null);
        }
        return put(item, Conditions.VERSION_IS, Map.of(":v", s(expectedVersion)));
    }

    /** Updates if the condition holds; false when it does not. */
    public boolean update(String pk, String update, String condition, Map<String, AttributeValue> values) {
        try {
            client.updateItem(b -> {
                b.tableName(name).key(key(pk)).updateExpression(update);
                if (condition != null) {
                    b.conditionExpression(condition);
                }
                if (values != null && !values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes; returns the old item if there was one. */
    public Optional<Map<String, AttributeValue>> delete(String pk) {
        DeleteItemResponse response = client.deleteItem(b -> b.tableName(name).key(key(pk)).returnValues(ReturnValue.ALL_OLD));
        return response.hasAttributes() && !response.attributes().isEmpty() ? Optional.of(response.attributes()) : Optional.empty();
    }

    /** Deletes if the condition holds. */
    public boolean delete(String pk, String condition, Map<String, AttributeValue> values) {
        try {
            client.deleteItem(b -> b.tableName(name).key(key(pk)).conditionExpression(condition).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** All items of an index partition (every page), optionally with a {@code begins_with} on the sort key. */
    public List<Map<String, AttributeValue>> queryIndex(String index, String partitionAttr, String partition,
                                                        String sortAttr, String sortPrefix) {
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
            QueryRequest.Builder request = QueryRequest.builder().tableName(name).indexName(index)
                    .keyConditionExpression(condition).expressionAttributeValues(values);
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
            QueryRequest.Builder request = QueryRequest.builder().tableName(name).indexName(index).select(Select.COUNT)
                    .keyConditionExpression(partitionAttr + " = :p").expressionAttributeValues(Map.of(":p", s(partition)));
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
        return client.query(b -> b.tableName(name).indexName(QuartzTable.DUE_INDEX)
                .keyConditionExpression(Attr.DUE_SHARD + " = :s AND " + Attr.NEXT_FIRE + " <= :t")
                .expressionAttributeValues(Map.of(":s", s(shard), ":t", n(noLaterThan)))
                .scanIndexForward(true)
                .limit(limit)).items();
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
