package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;

import io.sandboxbroker.broker.core.UsageCounts;
import io.sandboxbroker.broker.core.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Hourly usage buckets, {@code USAGE#<UTC hour, 2026-11-29T13>}/{@code USAGE}: one number attribute
 * per counter ({@code g:<pool>} allocations per pool, {@code t:<track>} allocations per track,
 * {@code r:<track>} releases, {@code h:<track>} seconds held until release), {@code batches} (the
 * ids of the batches added, the guard against adding one twice) and {@code ttl} (8 days: the
 * per-track view reads 7).
 *
 * <p>A batch is added with {@code ADD} under the condition that its id is not in {@code batches}
 * yet; a failed condition means this batch was added before (an SDK retry of an applied write),
 * which is success. Large batches are split into parts of {@value #COUNTERS_PER_WRITE} counters,
 * each with its own id, to stay inside DynamoDB's expression size limit.
 */
public final class DynamoUsageStore implements UsageStore {
    static final int COUNTERS_PER_WRITE = 80;
    private static final int KEYS_PER_BATCH_GET = 100;
    private static final Duration RETENTION = Duration.ofDays(8);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final String BATCHES = "batches";
    private static final String GROUP = "g:";
    private static final String TRACK = "t:";
    private static final String RELEASES = "r:";
    private static final String HELD = "h:";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUsageStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void add(String batchId, Instant hour, UsageCounts counts) {
        List<Map.Entry<String, Long>> counters =
                new ArrayList<>(counters(counts).entrySet());
        for (int part = 0; part * COUNTERS_PER_WRITE < counters.size(); part++) {
            List<Map.Entry<String, Long>> slice = counters.subList(
                    part * COUNTERS_PER_WRITE, Math.min(counters.size(), (part + 1) * COUNTERS_PER_WRITE));
            addOnce(batchId + "/" + part, hour, slice);
        }
    }

    private void addOnce(String partId, Instant hour, List<Map.Entry<String, Long>> counters) {
        Map<String, String> names = new HashMap<>(Map.of("#batches", BATCHES, "#ttl", "ttl", "#hour", "hour"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":batch",
                AttributeValue.fromSs(List.of(partId)),
                ":batch_id",
                s(partId),
                ":ttl",
                Attributes.time(hour.plus(RETENTION)),
                ":hour",
                Attributes.time(hour)));
        StringBuilder add = new StringBuilder("#batches :batch");
        for (int i = 0; i < counters.size(); i++) {
            names.put("#c" + i, counters.get(i).getKey());
            values.put(":c" + i, Attributes.n(counters.get(i).getValue()));
            add.append(", #c").append(i).append(" :c").append(i);
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(hour))
                    .updateExpression("SET #ttl = :ttl, #hour = :hour ADD " + add)
                    .conditionExpression("attribute_not_exists(#batches) OR NOT contains(#batches, :batch_id)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException addedBefore) {
            // This part's id is in the bucket: an earlier attempt of this very write was applied.
        }
    }

    @Override
    public Map<Instant, UsageCounts> hours(Instant firstHour, Instant lastHour) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Instant hour = firstHour; !hour.isAfter(lastHour); hour = hour.plus(Duration.ofHours(1))) {
            keys.add(key(hour));
        }
        Map<Instant, UsageCounts> hours = new LinkedHashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_BATCH_GET) {
            List<Map<String, AttributeValue>> chunk =
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_BATCH_GET));
            Map<String, KeysAndAttributes> request =
                    Map.of(table, KeysAndAttributes.builder().keys(chunk).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(asked));
                response.responses()
                        .getOrDefault(table, List.of())
                        .forEach(item -> hours.put(Attributes.instant(item, "hour"), counts(item)));
                request = response.unprocessedKeys();
            }
        }
        return hours;
    }

    private static Map<String, AttributeValue> key(Instant hour) {
        return Map.of(PoolTable.PK, s("USAGE#" + HOUR.format(hour)), PoolTable.SK, s("USAGE"));
    }

    private static Map<String, Long> counters(UsageCounts counts) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counts.allocationsByGroup().forEach((group, n) -> counters.put(GROUP + group, n));
        counts.allocationsByTrack().forEach((track, n) -> counters.put(TRACK + track, n));
        counts.releasesByTrack().forEach((track, n) -> counters.put(RELEASES + track, n));
        counts.heldSecondsByTrack().forEach((track, n) -> counters.put(HELD + track, n));
        return counters;
    }

    private static UsageCounts counts(Map<String, AttributeValue> item) {
        Map<String, Long> groups = new HashMap<>();
        Map<String, Long> tracks = new HashMap<>();
        Map<String, Long> releases = new HashMap<>();
        Map<String, Long> held = new HashMap<>();
        item.forEach((name, value) -> {
            if (value.n() == null) {
                return;
            }
            long n = Long.parseLong(value.n());
            if (name.startsWith(GROUP)) {
                groups.put(name.substring(GROUP.length()), n);
            } else if (name.startsWith(TRACK)) {
                tracks.put(name.substring(TRACK.length()), n);
            } else if (name.startsWith(RELEASES)) {
                releases.put(name.substring(RELEASES.length()), n);
            } else if (name.startsWith(HELD)) {
                held.put(name.substring(HELD.length()), n);
            }
        });
        return new UsageCounts(groups, tracks, releases, held);
    }
}
