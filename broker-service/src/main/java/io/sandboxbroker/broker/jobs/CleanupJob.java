package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.CleanupService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Deletes pending sandboxes in the provider, paced, retried, behind a circuit breaker. */
@DisallowConcurrentExecution
public final class CleanupJob implements Job {
    private final CleanupService cleanup;
    private final JobRunner runner;

    @Inject
    CleanupJob(CleanupService cleanup, JobRunner runner) {
        this.cleanup = cleanup;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.CLEANUP, context, cleanup::run);
    }
}
