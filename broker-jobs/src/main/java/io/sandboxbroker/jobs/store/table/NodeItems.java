package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.n;
import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.List;
import java.util.Map;

/**
 * Scheduler instance items ({@code NODE#instanceId}): the last check-in, the instance's own interval and
 * failure multiple (so survivors judge it by its settings), and a recovery claim once judged dead.
 */
public final class NodeItems {
    private static final String CHECK_IN = "SET " + String.join(", ",
            Attr.TYPE + " = :type", Attr.SK + " = :id", Attr.NAME + " = :id", Attr.LAST_CHECKIN + " = :now",
            Attr.INTERVAL + " = :interval", Attr.FAILURE_MULTIPLE + " = :multiple");
    private static final String CLAIM = "SET " + Attr.RECOVERER + " = :r, " + Attr.RECOVERY_LEASE + " = :lease";

    /** A node item as read. {@code recoverer} is null unless a survivor claimed it. */
    public record NodeRecord(String instanceId, long lastCheckinMillis, long intervalMillis, int failureMultiple,
                             String recoverer, long recoveryLeaseMillis) {
        /** Dead when its last check-in is older than its interval times its failure multiple. */
        public boolean deadAt(long nowMillis) {
            return nowMillis - lastCheckinMillis > intervalMillis * failureMultiple;
        }
    }

    private final Table table;

    public NodeItems(Table table) {
        this.table = table;
    }

    public void checkIn(String instanceId, long nowMillis, long intervalMillis, int failureMultiple) {
        table.update(Keys.node(instanceId), CHECK_IN, null, Map.of(":type", s(Keys.NODE), ":id", s(instanceId),
                ":now", n(nowMillis), ":interval", n(intervalMillis), ":multiple", n(failureMultiple)));
    }

    public List<NodeRecord> all() {
        return table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.NODE, null, null).stream()
                .map(NodeItems::fromItem)
                .toList();
    }

    /**
     * Claims recovery of a dead node: succeeds for exactly one survivor, and again after the claim's
     * lease ran out (the first survivor died mid-recovery).
     */
    public boolean claim(NodeRecord dead, String survivor, long nowMillis, long leaseMillis) {
        return table.update(Keys.node(dead.instanceId()), CLAIM, Conditions.NODE_CLAIMABLE, Map.of(
                ":c", n(dead.lastCheckinMillis()), ":now", n(nowMillis), ":r", s(survivor), ":lease", n(nowMillis + leaseMillis)));
    }

    /** Removes a recovered node, only while this survivor still holds the claim. */
    public boolean deleteRecovered(String deadInstanceId, String survivor) {
        return table.delete(Keys.node(deadInstanceId), Conditions.NODE_RECOVERED_BY, Map.of(":r", s(survivor)));
    }

    public void delete(String instanceId) {
        table.delete(Keys.node(instanceId));
    }

    private static NodeRecord fromItem(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        Long lease = Table.num(item, Attr.RECOVERY_LEASE);
        Long multiple = Table.num(item, Attr.FAILURE_MULTIPLE);
        return new NodeRecord(Table.str(item, Attr.NAME), Table.num(item, Attr.LAST_CHECKIN), Table.num(item, Attr.INTERVAL),
                multiple == null ? 1 : multiple.intValue(), Table.str(item, Attr.RECOVERER), lease == null ? 0 : lease);
    }
}
