package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.jobs.store.DynamoJobStore;
import io.sandboxbroker.jobs.store.cluster.ClusterNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;

/** What operators see of the background work: each job's schedule and next firing, and the cluster. */
public final class JobsOverview {

    /** One job as scheduled in the cluster. */
    public record JobState(BrokerJob job, String schedule, Instant nextFireTime) {
    }

    private final Scheduler scheduler;
    private final DynamoJobStore store;

    public JobsOverview(Scheduler scheduler, DynamoJobStore store) {
        this.scheduler = scheduler;
        this.store = store;
    }

    public List<JobState> jobs() throws SchedulerException {
        List<JobState> states = new ArrayList<>();
        for (BrokerJob job : BrokerJob.values()) {
            Trigger trigger = scheduler.getTrigger(JobSchedules.triggerKey(job));
            states.add(new JobState(job, trigger == null ? "not scheduled" : JobSchedules.describe(trigger),
                    trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant()));
        }
        return states;
    }

    public List<ClusterNode> nodes() {
        return store.nodes();
    }
}
