package io.sandboxbroker.testkit.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandboxbroker.testkit.Dynalite;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second dynalite that holds every table as it was a while ago; index queries are answered from it.
 *
 * <p>After every write that passes the proxy, the written items are read back from the primary with a
 * consistent read and the snapshot (item or absence) is put into the replica after a jittered delay. Per item,
 * snapshots are taken under a lock and applied in the order taken (a later snapshot never lands before an
 * earlier one), as DynamoDB propagates one item's changes to an index in order; across items the order is free.
 * So an index read from the replica misses items written recently and still returns items that left the index
 * recently, exactly the two things a lagging global secondary index does. Writes that bypass the proxy never
 * reach the replica.
 */
final class LaggingIndexes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LaggingIndexes.class);
    private static final int STRIPES = 4;

    private final ObjectMapper json;
    private final DynamoWire primary;
    private final Dynalite replicaProcess;
    private final DynamoWire replica;
    private final Duration min;
    private final Duration max;
    private final SplittableRandom random;
    private final Map<String, List<String>> keySchemas = new ConcurrentHashMap<>();
    private final Map<String, Long> lastApplyAt = new ConcurrentHashMap<>();
    private final List<Stripe> stripes = new ArrayList<>();
    private final List<Thread> appliers = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong replicated = new AtomicLong();
    private volatile boolean closed;

    LaggingIndexes(ObjectMapper json, DynamoWire primary, Duration min, Duration max, long seed) {
        this.json = json;
        this.primary = primary;
        this.min = min;
        this.max = max;
        this.random = new SplittableRandom(seed);
        this.replicaProcess = Dynalite.start();
        this.replica = new DynamoWire(replicaProcess.endpoint(), json);
        for (int i = 0; i < STRIPES; i++) {
            Stripe stripe = new Stripe();
            Thread applier = new Thread(stripe::applyForever, "fault-proxy-index-lag-" + i);
            applier.setDaemon(true);
            applier.start();
            stripes.add(stripe);
            appliers.add(applier);
        }
    }

    /** Snapshots every item the write named, for delayed application to the replica. */
    void afterWrite(String operation, JsonNode request) {
        for (ItemKey key : keysWritten(operation, request)) {
            Stripe stripe = stripes.get(Math.floorMod(key.id().hashCode(), STRIPES));
            synchronized (stripe) {
                JsonNode item = primary.call("GetItem", getItem(key)).path("Item");
                long applyAt =
                        Math.max(System.nanoTime() + jitterNanos(), lastApplyAt.getOrDefault(key.id(), Long.MIN_VALUE));
                lastApplyAt.put(key.id(), applyAt);
                pending.incrementAndGet();
                stripe.queue.add(new Snapshot(
                        key, item.isMissingNode() ? Optional.empty() : Optional.of(item), applyAt, stripe.sequence++));
            }
        }
    }

    /** Answers an index Query or Scan from the lagging copy. */
    DynamoWire.Answer read(Map<String, List<String>> headers, byte[] body, String table) throws IOException {
        ensureReplicaTable(table);
        return replica.forward(headers, body);
    }

    void afterDeleteTable(String table) {
        keySchemas.remove(table);
        ObjectNode request = json.createObjectNode().put("TableName", table);
        try {
            replica.call("DeleteTable", request);
        } catch (DynamoWire.DynamoWireException notThere) {
            // the replica never saw the table
        }
    }

    /** Snapshots not yet applied to the replica. */
    int pending() {
        return pending.get();
    }

    long replicated() {
        return replicated.get();
    }

    @Override
    public void close() {
        closed = true;
        appliers.forEach(Thread::interrupt);
        replicaProcess.close();
    }

    private long jitterNanos() {
        long span = max.toNanos() - min.toNanos();
        synchronized (random) {
            return min.toNanos() + (span <= 0 ? 0 : random.nextLong(span + 1));
        }
    }

    private List<ItemKey> keysWritten(String operation, JsonNode request) {
        List<ItemKey> keys = new ArrayList<>();
        switch (operation) {
            case "PutItem" -> keys.add(keyOf(request.path("TableName").asText(), request.path("Item")));
            case "UpdateItem", "DeleteItem" ->
                keys.add(keyOf(request.path("TableName").asText(), request.path("Key")));
            case "BatchWriteItem" ->
                request.path("RequestItems").fields().forEachRemaining(entry -> {
                    for (JsonNode write : entry.getValue()) {
                        JsonNode item = write.has("PutRequest")
                                ? write.path("PutRequest").path("Item")
                                : write.path("DeleteRequest").path("Key");
                        keys.add(keyOf(entry.getKey(), item));
                    }
                });
            case "TransactWriteItems" -> {
                for (JsonNode action : request.path("TransactItems")) {
                    if (action.has("Put")) {
                        keys.add(keyOf(
                                action.path("Put").path("TableName").asText(),
                                action.path("Put").path("Item")));
                    }
                    for (String kind : List.of("Update", "Delete")) {
                        if (action.has(kind)) {
                            JsonNode write = action.path(kind);
                            keys.add(keyOf(write.path("TableName").asText(), write.path("Key")));
                        }
                    }
                }
            }
            default -> {
                // not a write
            }
        }
        return keys;
    }

    private ItemKey keyOf(String table, JsonNode itemOrKey) {
        List<String> schema = keySchema(table);
        ObjectNode key = json.createObjectNode();
        for (String attribute : schema) {
            key.set(attribute, itemOrKey.path(attribute));
        }
        return new ItemKey(table, key, table + "|" + key);
    }

    private List<String> keySchema(String table) {
        return keySchemas.computeIfAbsent(table, name -> {
            JsonNode description = primary.call(
                            "DescribeTable", json.createObjectNode().put("TableName", name))
                    .path("Table");
            createReplicaTable(description);
            List<String> attributes = new ArrayList<>();
            description
                    .path("KeySchema")
                    .forEach(element ->
                            attributes.add(element.path("AttributeName").asText()));
            return List.copyOf(attributes);
        });
    }

    private void ensureReplicaTable(String table) {
        keySchema(table);
    }

    private void createReplicaTable(JsonNode description) {
        ObjectNode create = json.createObjectNode();
        create.put("TableName", description.path("TableName").asText());
        create.set("KeySchema", description.path("KeySchema"));
        create.set("AttributeDefinitions", description.path("AttributeDefinitions"));
        create.put("BillingMode", "PAY_PER_REQUEST");
        copyIndexes(description, "GlobalSecondaryIndexes", create);
        copyIndexes(description, "LocalSecondaryIndexes", create);
        try {
            replica.call("CreateTable", create);
        } catch (DynamoWire.DynamoWireException e) {
            if (!e.is("ResourceInUseException")) {
                throw e;
            }
        }
    }

    private void copyIndexes(JsonNode description, String field, ObjectNode create) {
        if (!description.has(field)) {
            return;
        }
        ArrayNode indexes = create.putArray(field);
        for (JsonNode index : description.path(field)) {
            ObjectNode copy = indexes.addObject();
            copy.put("IndexName", index.path("IndexName").asText());
            copy.set("KeySchema", index.path("KeySchema"));
            copy.set("Projection", index.path("Projection"));
        }
    }

    private ObjectNode getItem(ItemKey key) {
        ObjectNode request =
                json.createObjectNode().put("TableName", key.table()).put("ConsistentRead", true);
        request.set("Key", key.key());
        return request;
    }

    private void apply(Snapshot snapshot) {
        ObjectNode request =
                json.createObjectNode().put("TableName", snapshot.key().table());
        if (snapshot.item().isPresent()) {
            request.set("Item", snapshot.item().get());
            replica.call("PutItem", request);
        } else {
            request.set("Key", snapshot.key().key());
            replica.call("DeleteItem", request);
        }
        replicated.incrementAndGet();
    }

    private record ItemKey(String table, ObjectNode key, String id) {}

    private record Snapshot(ItemKey key, Optional<JsonNode> item, long applyAtNanos, long sequence) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(applyAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Snapshot that = (Snapshot) other;
            int byTime = Long.compare(applyAtNanos, that.applyAtNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, that.sequence);
        }
    }

    /** One applier thread per stripe of keys keeps each item's snapshots in order. */
    private final class Stripe {
        final DelayQueue<Snapshot> queue = new DelayQueue<>();
        long sequence;

        void applyForever() {
            while (!closed) {
                Snapshot next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    apply(next);
                } catch (RuntimeException e) {
                    if (!closed) {
                        LOG.warn(
                                "index-lag replica: could not apply {}: {}",
                                next.key().id(),
                                e.getMessage());
                    }
                } finally {
                    pending.decrementAndGet();
                }
            }
        }
    }
}
