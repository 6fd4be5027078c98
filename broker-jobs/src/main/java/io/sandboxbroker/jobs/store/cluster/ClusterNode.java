package io.sandboxbroker.jobs.store.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * A scheduler instance as the cluster sees it. {@code alive} is judged with the node's own interval
 * and failure multiple; {@code recoveredBy} names the survivor recovering a dead node, if any.
 */
public record ClusterNode(
        String instanceId, Instant lastCheckin, Duration checkinInterval, boolean alive, String recoveredBy) {}
