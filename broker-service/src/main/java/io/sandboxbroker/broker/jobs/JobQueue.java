package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRunLog;
import java.time.Duration;
import java.util.Optional;
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
    private static final Duration POLL = Duration.ofMillis(250);

    private final Scheduler scheduler;
    private final JobRunLog runs;

    public JobQueue(Scheduler scheduler, JobRunLog runs) {
        this.scheduler = scheduler;
        this.runs = runs;
    }

    /** Returns the run id the run will be logged and recorded under. */
    public String enqueue(BrokerJob job) {
        String runId = UUID.randomUUID().toString();
        JobDataMap data = new JobDataMap();
        data.put(JobRunner.RUN_ID, runId);
        try {
            scheduler.triggerJob(job.key(), data);
        } catch (SchedulerException e) {
            throw new BrokerException(
                    BrokerException.Reason.SERVICE_UNAVAILABLE,
                    "could not enqueue " + job.wire() + "; retry shortly",
                    Duration.ofSeconds(5));
        }
        return runId;
    }

    /** Waits up to {@code timeout} for the run to be recorded as finished. */
    public Optional<JobRun> await(BrokerJob job, String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JobRun> run = runs.find(job.wire(), runId);
            if (run.isPresent() || System.nanoTime() > deadline) {
                return run;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
