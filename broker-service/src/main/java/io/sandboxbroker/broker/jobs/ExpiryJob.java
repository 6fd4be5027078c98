package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.ExpiryService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Reclaims allocations past their expiry and grace. */
@DisallowConcurrentExecution
public final class ExpiryJob implements Job {
    private final ExpiryService expiry;
    private final JobRunner runner;

    @Inject
    ExpiryJob(ExpiryService expiry, JobRunner runner) {
        this.expiry = expiry;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.AUTO_EXPIRY, context, expiry::run);
    }
}
