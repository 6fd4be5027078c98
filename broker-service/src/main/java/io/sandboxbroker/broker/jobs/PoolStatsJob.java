package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.PoolService;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Writes the pool counts that metrics and the admin page read. */
@DisallowConcurrentExecution
public final class PoolStatsJob implements Job {
    private final PoolService pool;
    private final JobRunner runner;

    @Inject
    PoolStatsJob(PoolService pool, JobRunner runner) {
        this.pool = pool;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.POOL_STATS, context, pool::refreshStats);
    }
}
