package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRunLog;
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

    /** One job as scheduled in the cluster, and its last runs (newest first). */
    public record JobState(BrokerJob job, String schedule, Instant nextFireTime, List<JobRun> lastRuns) {}

    private static final int LAST_RUNS = 5;

    private final Scheduler scheduler;
    private final DynamoJobStore store;
    private final JobRunLog runs;

    public JobsOverview(Scheduler scheduler, DynamoJobStore store, JobRunLog runs) {
        this.scheduler = scheduler;
        this.store = store;
        this.runs = runs;
    }

    public List<JobState> jobs() throws SchedulerException {
        List<JobState> states = new ArrayList<>();
        for (BrokerJob job : BrokerJob.values()) {
            Trigger trigger = scheduler.getTrigger(JobSchedules.triggerKey(job));
            states.add(new JobState(
                    job,
                    trigger == null ? "not scheduled" : JobSchedules.describe(trigger),
                    trigger == null || trigger.getNextFireTime() == null
                            ? null
                            : trigger.getNextFireTime().toInstant(),
                    runs.recent(job.wire(), LAST_RUNS)));
        }
        return states;
    }

    public List<ClusterNode> nodes() {
        return store.nodes();
    }
}
