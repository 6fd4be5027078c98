package io.sandboxbroker.broker.jobs;

import io.dropwizard.lifecycle.Managed;
import io.sandboxbroker.broker.config.ProcessRole;
import io.sandboxbroker.jobs.dropwizard.ManagedScheduler;
import java.time.Duration;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scheduler for the process's role: a jobs process schedules and runs every job; an API
 * process only stores the job details and keeps the scheduler in standby, to enqueue.
 */
public final class SchedulerLifecycle implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);

    private final ProcessRole role;
    private final JobSchedules schedules;
    private final ManagedScheduler managed;
    private final String version;

    public SchedulerLifecycle(ProcessRole role, Scheduler scheduler, JobSchedules schedules, Duration shutdownTimeout,
            String version) {
        this.role = role;
        this.schedules = schedules;
        this.version = version;
        this.managed = new ManagedScheduler(scheduler,
                role == ProcessRole.JOBS ? ManagedScheduler.Mode.RUN : ManagedScheduler.Mode.STANDBY, shutdownTimeout);
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

    @Override
    public void stop() throws Exception {
        managed.stop();
    }
}
