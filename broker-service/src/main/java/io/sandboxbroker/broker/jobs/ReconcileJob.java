package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.ReconcileService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Removes learner claims that never completed. */
@DisallowConcurrentExecution
public final class ReconcileJob implements Job {
    private final ReconcileService reconcile;
    private final JobRunner runner;

    @Inject
    ReconcileJob(ReconcileService reconcile, JobRunner runner) {
        this.reconcile = reconcile;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.RECONCILE, context, reconcile::run);
    }
}
