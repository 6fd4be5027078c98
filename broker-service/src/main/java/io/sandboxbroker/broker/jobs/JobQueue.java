package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.BrokerException;
import java.util.UUID;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Enqueues a one-off run through the cluster: any process (an API process's scheduler is in
 * standby) writes a one-shot trigger to the shared store, and whichever jobs process acquires it
 * runs it, once.
 */
public final class JobQueue {
    private final Scheduler scheduler;

    public JobQueue(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Returns the run id the run will be logged and recorded under. */
    public String enqueue(BrokerJob job) {
        String runId = UUID.randomUUID().toString();
        JobDataMap data = new JobDataMap();
        data.put(JobRunner.RUN_ID, runId);
        try {
            scheduler.triggerJob(job.key(), data);
        } catch (SchedulerException e) {
            throw new BrokerException(BrokerException.Reason.SERVICE_UNAVAILABLE,
                    "could not enqueue " + job.wire() + "; retry shortly", java.time.Duration.ofSeconds(5));
        }
        return runId;
    }
}
