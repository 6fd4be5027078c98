package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.PoolWatch;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * Writes the pool counts that metrics and the admin page read, announces pools crossing their levels
 * and stuck jobs, sends webhooks.
 */
@DisallowConcurrentExecution
public final class PoolStatsJob implements Job {
    private final PoolWatch pool;
    private final StuckJobs stuckJobs;
    private final JobRunner runner;

    @Inject
    PoolStatsJob(PoolWatch pool, StuckJobs stuckJobs, JobRunner runner) {
        this.pool = pool;
        this.stuckJobs = stuckJobs;
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        runner.run(BrokerJob.POOL_STATS, context, () -> {
            stuckJobs.announce(); // before the run's delivery pass, which sends what this stored
            return pool.run();
        });
    }
}
