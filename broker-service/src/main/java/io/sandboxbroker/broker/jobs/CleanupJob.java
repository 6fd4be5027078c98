package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.jobs.JobFence;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * Deletes pending sandboxes in the provider, paced, retried, behind a circuit breaker; fenced, so a
 * run another node took over stops before its next provider call.
 */
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
        runner.run(BrokerJob.CLEANUP, context, () -> cleanup.run(() -> JobFence.holds(context)));
    }
}
