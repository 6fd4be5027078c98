package io.sandboxbroker.broker.jobs;

import io.dropwizard.lifecycle.Managed;
import io.sandboxbroker.broker.config.ProcessRole;
import io.sandboxbroker.broker.core.StopSignal;
import io.sandboxbroker.jobs.dropwizard.ManagedScheduler;
import java.time.Duration;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scheduler for the process's role: a jobs process schedules and runs every job; an API
 * process only stores the job details and keeps the scheduler in standby, to enqueue.
 */
public final class SchedulerLifecycle implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);

    private final ProcessRole role;
    private final Scheduler scheduler;
    private final JobSchedules schedules;
    private final StopSignal stopping;
    private final ManagedScheduler managed;
    private final String version;

    public SchedulerLifecycle(
            ProcessRole role,
            Scheduler scheduler,
            JobSchedules schedules,
            StopSignal stopping,
            Duration shutdownTimeout,
            String version) {
        this.role = role;
        this.scheduler = scheduler;
        this.schedules = schedules;
        this.stopping = stopping;
        this.version = version;
        this.managed = new ManagedScheduler(
                scheduler,
                role == ProcessRole.JOBS ? ManagedScheduler.Mode.RUN : ManagedScheduler.Mode.STANDBY,
                shutdownTimeout);
    }

    @Override
    public void start() throws Exception {
        if (role == ProcessRole.JOBS) {
            LOG.info("Sandbox Broker jobs {} starting…", version);
        }
        schedules.storeJobs();
        if (role == ProcessRole.JOBS) {
            int scheduled = schedules.scheduleAll();
            managed.start();
            LOG.info("Started {} background jobs", scheduled);
        } else {
            managed.start();
        }
    }

    /**
     * A jobs process takes no new firing, lets a running clean-up finish the sandbox in hand and
     * end early, and enqueues a clean-up for the rest, which another process runs once this run's
     * lock is released. Quartz then waits for the running jobs and checks out of the cluster; the
     * DynamoDB client closes only after this returns (it is managed before the scheduler, and
     * Dropwizard stops in reverse order).
     */
    @Override
    public void stop() throws Exception {
        if (role == ProcessRole.JOBS) {
            scheduler.standby();
            stopping.request();
            if (isRunning(BrokerJob.CLEANUP)) {
                handOver(BrokerJob.CLEANUP);
            }
        }
        managed.stop();
    }

    private boolean isRunning(BrokerJob job) throws SchedulerException {
        return scheduler.getCurrentlyExecutingJobs().stream()
                .anyMatch(context -> context.getJobDetail().getKey().equals(job.key()));
    }

    private void handOver(BrokerJob job) {
        try {
            scheduler.triggerJob(job.key());
            LOG.info("action=stop job={} outcome=handed_over", job.wire());
        } catch (SchedulerException e) {
            // The next scheduled run does the rest.
            LOG.warn("action=stop job={} outcome=hand_over_failed error={}", job.wire(), e.toString());
        }
    }
}
