package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.instant;
import static io.sandboxbroker.broker.db.Attributes.n;
import static io.sandboxbroker.broker.db.Attributes.number;
import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.RetiredTenants;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retired tenants on the pool table, one small item each under one partition key:
 * {@code RETIRED}/{@code <sandbox id>} with {@code sandbox_id}, {@code sandbox_name},
 * {@code external_id} and {@code retired_at}. No {@code ttl}, no {@code status}, no
 * {@code avail_shard}: the items never expire and no sandbox index sees them. One partition so
 * that sync reads them all with a query; writes are one per retired sandbox, far below a
 * partition's limits. The last sync's finding lives in {@code STATS#retired}/{@code STATS}.
 */
public final class DynamoRetiredTenants implements RetiredTenants {
    static final String PARTITION = "RETIRED";
    private static final Map<String, AttributeValue> LISTED_KEY =
            Map.of(PoolTable.PK, s("STATS#retired"), PoolTable.SK, s("STATS"));
    /**
     * Unconditional and first-write-wins per attribute: an SDK retry of an applied write, two
     * processes retiring the same sandbox, or a later backfill all leave the same item.
     */
    private static final String REMEMBER = "SET sandbox_id = :id, "
            + "sandbox_name = if_not_exists(sandbox_name, :name), "
            + "external_id = if_not_exists(external_id, :external), "
            + "retired_at = if_not_exists(retired_at, :at)";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRetiredTenants(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void remember(Sandbox sandbox, Instant at) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(sandbox.id()))
                .updateExpression(REMEMBER)
                .expressionAttributeValues(Map.of(
                        ":id", s(sandbox.id().value()),
                        ":name", s(orUnknown(sandbox.name())),
                        ":external", s(orUnknown(sandbox.externalId())),
                        ":at", time(at))));
    }

    @Override
    public boolean isRetired(SandboxId id) {
        Map<String, AttributeValue> item = dynamo.getItem(b ->
                        b.tableName(table).key(key(id)).consistentRead(true).projectionExpression(PoolTable.PK))
                .item();
        return item != null && !item.isEmpty();
    }

    @Override
    public Set<SandboxId> all() {
        Set<SandboxId> ids = new HashSet<>();
        dynamo.queryPaginator(b -> b.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                        .projectionExpression(PoolTable.SK))
                .items()
                .forEach(item -> ids.add(new SandboxId(item.get(PoolTable.SK).s())));
        return ids;
    }

    @Override
    public void recordStillListed(StillListed found) {
        Map<String, AttributeValue> item = new HashMap<>(LISTED_KEY);
        item.put("still_listed", n(found.count()));
        item.put(
                "sample",
                AttributeValue.fromL(
                        found.sample().stream().map(id -> s(id.value())).toList()));
        item.put("checked_at", time(found.checkedAt()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<StillListed> stillListed() {
        Map<String, AttributeValue> item =
                dynamo.getItem(b -> b.tableName(table).key(LISTED_KEY)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<SandboxId> sample = item.containsKey("sample")
                ? item.get("sample").l().stream().map(v -> new SandboxId(v.s())).toList()
                : List.of();
        return Optional.of(new StillListed(number(item, "still_listed", 0), sample, instant(item, "checked_at")));
    }

    static Map<String, AttributeValue> key(SandboxId id) {
        return Map.of(PoolTable.PK, s(PARTITION), PoolTable.SK, s(id.value()));
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }
}
