package io.sandboxbroker.jobs.dropwizard;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a Quartz scheduler to Dropwizard's lifecycle. A jobs process runs it; an API process keeps it in
 * standby, where it can still enqueue (e.g. {@code scheduler.triggerJob(key)}) for a running node to execute.
 * On stop it waits for running jobs, but no longer than the shutdown timeout.
 */
public final class ManagedScheduler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedScheduler.class);

    /** Whether this process executes jobs. */
    public enum Mode { RUN, STANDBY }

    private final Scheduler scheduler;
    private final Mode mode;
    private final Duration shutdownTimeout;

    public ManagedScheduler(Scheduler scheduler, Mode mode, Duration shutdownTimeout) {
        this.scheduler = scheduler;
        this.mode = mode;
        this.shutdownTimeout = shutdownTimeout;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void start() throws SchedulerException {
        if (mode == Mode.RUN) {
            scheduler.start();
        }
        LOG.info("action=scheduler_start mode={} scheduler={} instance={}", mode, scheduler.getSchedulerName(),
                scheduler.getSchedulerInstanceId());
    }

    @Override
    public void stop() throws InterruptedException {
        Thread shutdown = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("action=scheduler_stop outcome=failed", e);
            }
        }, "quartz-shutdown");
        shutdown.start();
        shutdown.join(shutdownTimeout.toMillis());
        if (shutdown.isAlive()) {
            // running jobs outlived the timeout; the cluster recovers their firings if they requested it
            LOG.warn("action=scheduler_stop outcome=timeout timeout={} jobs_still_running=true", shutdownTimeout);
        } else {
            LOG.info("action=scheduler_stop outcome=done");
        }
    }
}
