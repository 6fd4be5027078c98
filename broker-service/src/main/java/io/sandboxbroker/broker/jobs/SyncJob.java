package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.SyncService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Brings the pool in line with the provider's list. */
@DisallowConcurrentExecution
public final class SyncJob implements Job {
    private final SyncService sync;
    private final JobRunner runner;

    @Inject
    SyncJob(SyncService sync, JobRunner runner) {
        this.sync = sync;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.SYNC, context, sync::sync);
    }
}
