package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Body of {@code GET /v1/admin/jobs}. */
public record JobsView(List<Job> jobs, List<Node> nodes) {

    /** A job, its schedule and next firing. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Job(String name, String schedule, Long nextFireTime, List<JobRunView> lastRuns) {
        public static Job of(String name, String schedule, Instant nextFireTime, List<JobRunView> lastRuns) {
            return new Job(name, schedule, Times.unix(nextFireTime), lastRuns);
        }
    }

    /** A jobs process of the cluster. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Node(String instanceId, Long lastCheckin, long checkinIntervalMs, boolean alive) {
        public static Node of(String instanceId, Instant lastCheckin, Duration checkinInterval, boolean alive) {
            return new Node(instanceId, Times.unix(lastCheckin), checkinInterval.toMillis(), alive);
        }
    }
}
