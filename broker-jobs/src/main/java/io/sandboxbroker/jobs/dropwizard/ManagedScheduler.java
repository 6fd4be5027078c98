package io.sandboxbroker.jobs.dropwizard;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a Quartz scheduler to Dropwizard's lifecycle. A jobs process runs it; an API process keeps it in
 * standby, where it can still enqueue (e.g. {@code scheduler.triggerJob(key)}) for a running node to execute.
 * On stop it waits for running jobs, but no longer than the shutdown timeout; the store then checks out (gives
 * back what the node holds and leaves the cluster), and only then are the resources it uses closed.
 */
public final class ManagedScheduler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedScheduler.class);

    /** Whether this process executes jobs. */
    public enum Mode {
        RUN,
        STANDBY
    }

    private final Scheduler scheduler;
    private final Mode mode;
    private final Duration shutdownTimeout;
    private final List<AutoCloseable> closeAfterStop;

    public ManagedScheduler(Scheduler scheduler, Mode mode, Duration shutdownTimeout) {
        this(scheduler, mode, shutdownTimeout, List.of());
    }

    /**
     * {@code closeAfterStop}: what the scheduler's store uses and this process owns, above all the DynamoDB client,
     * closed in order only after the scheduler has stopped and checked out (or the shutdown timeout passed). Register
     * the client here rather than as its own {@code Managed}, whose stop order relative to this one is easy to get wrong.
     */
    public ManagedScheduler(
            Scheduler scheduler, Mode mode, Duration shutdownTimeout, List<? extends AutoCloseable> closeAfterStop) {
        this.scheduler = scheduler;
        this.mode = mode;
        this.shutdownTimeout = shutdownTimeout;
        this.closeAfterStop = List.copyOf(closeAfterStop);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void start() throws SchedulerException {
        if (mode == Mode.RUN) {
            scheduler.start();
        }
        LOG.info(
                "action=scheduler_start mode={} scheduler={} instance={}",
                mode,
                scheduler.getSchedulerName(),
                scheduler.getSchedulerInstanceId());
    }

    @Override
    public void stop() throws InterruptedException {
        Thread shutdown = new Thread(
                () -> {
                    try {
                        scheduler.shutdown(true);
                    } catch (SchedulerException e) {
                        LOG.warn("action=scheduler_stop outcome=failed", e);
                    }
                },
                "quartz-shutdown");
        shutdown.start();
        shutdown.join(shutdownTimeout.toMillis());
        if (shutdown.isAlive()) {
            // running jobs outlived the timeout; the cluster recovers their firings if they requested it
            LOG.warn("action=scheduler_stop outcome=timeout timeout={} jobs_still_running=true", shutdownTimeout);
        } else {
            LOG.info("action=scheduler_stop outcome=done");
        }
        for (AutoCloseable resource : closeAfterStop) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("action=scheduler_stop close={} outcome=failed", resource, e);
            }
        }
    }
}
