package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.jobs.JobsOverview;
import io.sandboxbroker.jobs.store.cluster.ClusterNode;
import java.util.List;

/** Body of {@code GET /v1/admin/jobs}. */
public record JobsView(List<Job> jobs, List<Node> nodes) {

    /** A job, its schedule and next firing. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Job(String name, String schedule, Long nextFireTime, List<JobRunView> lastRuns) {
    }

    /** A jobs process of the cluster. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Node(String instanceId, Long lastCheckin, long checkinIntervalMs, boolean alive) {
        static Node of(ClusterNode node) {
            return new Node(node.instanceId(), Times.unix(node.lastCheckin()), node.checkinInterval().toMillis(),
                    node.alive());
        }
    }

    public static JobsView of(List<JobsOverview.JobState> jobs, List<ClusterNode> nodes) {
        return new JobsView(
                jobs.stream().map(j -> new Job(j.job().wire(), j.schedule(), Times.unix(j.nextFireTime()),
                        j.lastRuns().stream().map(JobRunView::of).toList())).toList(),
                nodes.stream().map(Node::of).toList());
    }
}
