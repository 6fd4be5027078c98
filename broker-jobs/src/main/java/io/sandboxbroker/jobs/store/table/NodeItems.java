package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.n;
import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Scheduler instance items ({@code NODE#instanceId}): a heartbeat token rewritten at every check-in, the
 * wall-clock time of that check-in (for people), the instance's own interval and failure multiple (so
 * survivors judge it by its settings), and a recovery claim once judged dead. Others judge liveness by
 * watching the heartbeat change on their own monotonic clock, never by comparing wall clocks.
 */
public final class NodeItems {
    private static final String CHECK_IN = "SET "
            + String.join(
                    ", ",
                    Attr.TYPE + " = :type",
                    Attr.SK + " = :id",
                    Attr.NAME + " = :id",
                    Attr.LAST_CHECKIN + " = :now",
                    Attr.INTERVAL + " = :interval",
                    Attr.FAILURE_MULTIPLE + " = :multiple",
                    Attr.BEAT + " = :beat")
            + " REMOVE " + Attr.RECOVERER + ", " + Attr.CLAIM;
    private static final String CLAIM = "SET " + Attr.RECOVERER + " = :r, " + Attr.CLAIM + " = :claim";

    /** A node item as read. {@code recoverer} and {@code claim} are null unless a survivor claimed it. */
    public record NodeRecord(
            String instanceId,
            long lastCheckinMillis,
            long intervalMillis,
            int failureMultiple,
            String beat,
            String recoverer,
            String claim) {
        /** How long others wait without seeing the heartbeat change before they recover the node. */
        public long failureTimeoutMillis() {
            return intervalMillis * failureMultiple;
        }

        /**
         * A wall-clock estimate for display only (e.g. an admin API that never watched the heartbeat): no
         * decision is taken on it, because two hosts' clocks differ.
         */
        public boolean seemsDeadAt(long nowMillis) {
            return nowMillis - lastCheckinMillis > failureTimeoutMillis();
        }
    }

    private final Table table;

    public NodeItems(Table table) {
        this.table = table;
    }

    /**
     * Writes a fresh heartbeat (and clears a claim: the node is alive after all). Returns the item as it was
     * before, so the node learns whether it had been judged dead (claimed, or already recovered and removed).
     */
    public Optional<NodeRecord> checkIn(String instanceId, long nowMillis, long intervalMillis, int failureMultiple) {
        return table.updateReturningOld(
                        Keys.node(instanceId),
                        CHECK_IN,
                        Map.of(
                                ":type",
                                s(Keys.NODE),
                                ":id",
                                s(instanceId),
                                ":now",
                                n(nowMillis),
                                ":interval",
                                n(intervalMillis),
                                ":multiple",
                                n(failureMultiple),
                                ":beat",
                                s(Table.newVersion())))
                .map(NodeItems::fromItem);
    }

    /** Node records as they are now: the index finds the nodes, all are read consistently in one batch. */
    public List<NodeRecord> all() {
        List<String> pks = table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.NODE, null, null).stream()
                .map(item -> Table.str(item, Attr.PK))
                .toList();
        return table.getAll(pks).stream().map(NodeItems::fromItem).toList();
    }

    /**
     * Instance ids of the nodes the index shows unclaimed by a recovery, in one query and no consistent read: good
     * enough to share out work, never to judge a node.
     */
    public List<String> listedIds() {
        return table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.NODE, null, null).stream()
                .filter(item -> Table.str(item, Attr.RECOVERER) == null)
                .map(item -> Table.str(item, Attr.NAME))
                .filter(Objects::nonNull)
                .toList();
    }

    public Optional<NodeRecord> get(String instanceId) {
        return table.get(Keys.node(instanceId)).map(NodeItems::fromItem);
    }

    /**
     * Claims recovery of a node that stopped beating: only while its heartbeat is still the one the survivor
     * watched, and either unclaimed or still carrying a claim the survivor watched go stale (the first survivor
     * died mid-recovery). Succeeds for exactly one survivor.
     */
    public boolean claim(NodeRecord dead, String survivor) {
        String claim = Table.newVersion();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":b", s(dead.beat()));
        values.put(":r", s(survivor));
        values.put(":claim", s(claim));
        String condition = Attr.BEAT + " = :b AND ";
        if (dead.claim() == null) {
            condition += "attribute_not_exists(" + Attr.CLAIM + ")";
        } else {
            condition += Attr.CLAIM + " = :stale";
            values.put(":stale", s(dead.claim()));
        }
        return table.update(Keys.node(dead.instanceId()), CLAIM, condition, values, OwnWrite.wrote(Attr.CLAIM, claim));
    }

    /** Removes a recovered node, only while this survivor still holds the claim. */
    public boolean deleteRecovered(String deadInstanceId, String survivor) {
        return table.delete(
                Keys.node(deadInstanceId), Conditions.NODE_RECOVERED_BY, Map.of(":r", s(survivor)), OwnWrite.GONE);
    }

    public void delete(String instanceId) {
        table.remove(Keys.node(instanceId));
    }

    private static NodeRecord fromItem(Map<String, AttributeValue> item) {
        Long multiple = Table.num(item, Attr.FAILURE_MULTIPLE);
        Long last = Table.num(item, Attr.LAST_CHECKIN);
        Long interval = Table.num(item, Attr.INTERVAL);
        return new NodeRecord(
                Table.str(item, Attr.NAME),
                last == null ? 0 : last,
                interval == null ? 0 : interval,
                multiple == null ? 1 : multiple.intValue(),
                Objects.requireNonNullElse(Table.str(item, Attr.BEAT), ""),
                Table.str(item, Attr.RECOVERER),
                Table.str(item, Attr.CLAIM));
    }
}
