package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.StaleSweepService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Drops sandboxes that stayed stale past the grace. */
@DisallowConcurrentExecution
public final class StaleSweepJob implements Job {
    private final StaleSweepService staleSweep;
    private final JobRunner runner;

    @Inject
    StaleSweepJob(StaleSweepService staleSweep, JobRunner runner) {
        this.staleSweep = staleSweep;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.STALE_SWEEP, context, staleSweep::run);
    }
}
