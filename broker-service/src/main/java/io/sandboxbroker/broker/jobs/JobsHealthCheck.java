package io.sandboxbroker.broker.jobs;

import com.codahale.metrics.health.HealthCheck;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unhealthy while a job has missed three of its schedules (no successful run in the cluster). Each
 * unhealthy check logs {@code action=job_health job=… outcome=stuck}, which the CloudWatch alarm
 * counts. On ECS the jobs container's health check fails with it, so the task is replaced: a node
 * holding a job's lock or trigger releases it on the way out.
 */
public final class JobsHealthCheck extends HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(JobsHealthCheck.class);

    private final JobHealth health;

    public JobsHealthCheck(JobHealth health) {
        this.health = health;
    }

    @Override
    protected Result check() {
        List<JobHealth.State> stuck =
                health.states().stream().filter(JobHealth.State::stuck).toList();
        if (stuck.isEmpty()) {
            return Result.healthy("every job ran within three of its schedules");
        }
        stuck.forEach(state -> LOG.warn(
                "action=job_health job={} outcome=stuck last_success={} every={}",
                state.job().wire(),
                state.lastSuccess().map(Object::toString).orElse("none"),
                state.every()));
        return Result.unhealthy("stuck (missed three schedules): "
                + stuck.stream().map(state -> state.job().wire()).collect(Collectors.joining(", ")));
    }
}
