package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;

import io.sandboxbroker.broker.core.AnnouncedStates;
import io.sandboxbroker.broker.core.PoolState;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What was last announced, in one item {@code EVENTS#pools}/{@code STATES}: {@code states}
 * (pool → ok | low | empty), {@code retired_still_listed} and {@code version}, written only over
 * the version it was computed from.
 */
public final class DynamoAnnouncedStates implements AnnouncedStates {
    private static final Map<String, AttributeValue> KEY =
            Map.of(PoolTable.PK, s("EVENTS#pools"), PoolTable.SK, s("STATES"));

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAnnouncedStates(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Snapshot> read() {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(KEY).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, PoolState> states = new HashMap<>();
        item.get("states")
                .m()
                .forEach((pool, state) ->
                        states.put(pool, PoolState.valueOf(state.s().toUpperCase(Locale.ROOT))));
        return Optional.of(new Snapshot(
                Attributes.number(item, "version", 0), states, Attributes.number(item, "retired_still_listed", 0)));
    }

    @Override
    public boolean write(long expected, Map<String, PoolState> states, long retiredStillListed) {
        Map<String, AttributeValue> wire = new HashMap<>();
        states.forEach((pool, state) -> wire.put(pool, s(state.wire())));
        Map<String, AttributeValue> item = new HashMap<>(KEY);
        item.put("states", AttributeValue.fromM(wire));
        item.put("version", Attributes.n(expected + 1));
        item.put("retired_still_listed", Attributes.n(retiredStillListed));
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(pk) OR version = :expected")
                    .expressionAttributeValues(Map.of(":expected", Attributes.n(expected))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            // Our own earlier attempt (an SDK retry) wrote exactly this: that is success too.
            return read().filter(now -> now.version() == expected + 1
                            && now.states().equals(states)
                            && now.retiredStillListed() == retiredStillListed)
                    .isPresent();
        }
    }
}
