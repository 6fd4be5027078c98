package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.NodeItems.NodeRecord;
import io.sandboxbroker.jobs.store.table.Table;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Read-only view of the cluster's nodes and their last check-ins, e.g. for an admin API. {@code alive} is what
 * a running node's heartbeat watch says when one is given; otherwise (a process that never watched) it is a
 * wall-clock estimate from the last check-in, for display only.
 */
public final class ClusterNodes {
    private final NodeItems nodes;
    private final Clock clock;
    private final Function<NodeRecord, Optional<Boolean>> watch;

    public ClusterNodes(DynamoDbClient client, String tableName, Clock clock) {
        this(new NodeItems(new Table(client, tableName)), clock, node -> Optional.empty());
    }

    public ClusterNodes(NodeItems nodes, Clock clock, Function<NodeRecord, Optional<Boolean>> watch) {
        this.nodes = nodes;
        this.clock = clock;
        this.watch = watch;
    }

    /** Every node with a check-in record, sorted by instance id. */
    public List<ClusterNode> nodes() {
        long now = clock.millis();
        return nodes.all().stream()
                .map(record -> new ClusterNode(
                        record.instanceId(),
                        Instant.ofEpochMilli(record.lastCheckinMillis()),
                        Duration.ofMillis(record.intervalMillis()),
                        watch.apply(record).orElseGet(() -> !record.seemsDeadAt(now)),
                        record.recoverer()))
                .sorted(Comparator.comparing(ClusterNode::instanceId))
                .toList();
    }
}
