package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.Table;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Read-only view of the cluster's nodes and their last check-ins, e.g. for an admin API. */
public final class ClusterNodes {
    private final NodeItems nodes;
    private final Clock clock;

    public ClusterNodes(DynamoDbClient client, String tableName, Clock clock) {
        this(new NodeItems(new Table(client, tableName)), clock);
    }

    public ClusterNodes(NodeItems nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    /** Every node with a check-in record, sorted by instance id. */
    public List<ClusterNode> nodes() {
        long now = clock.millis();
        return nodes.all().stream()
                .map(record -> new ClusterNode(record.instanceId(), Instant.ofEpochMilli(record.lastCheckinMillis()),
                        Duration.ofMillis(record.intervalMillis()), !record.deadAt(now), record.recoverer()))
                .sorted(Comparator.comparing(ClusterNode::instanceId))
                .toList();
    }
}
