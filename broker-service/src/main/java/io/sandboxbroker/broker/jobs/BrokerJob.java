package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.config.JobsConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobKey;
import org.quartz.ScheduleBuilder;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;

/** Every background job, its Quartz class and its schedule (docs/architecture.md#jobs-and-schedules): the table of contents. */
public enum BrokerJob {
    SYNC(SyncJob.class, c -> every(c.syncEvery())),
    CLEANUP(CleanupJob.class, c -> every(c.cleanupEvery())),
    AUTO_EXPIRY(ExpiryJob.class, c -> every(c.expiryEvery())),
    STALE_SWEEP(StaleSweepJob.class, c -> cron(c.staleSweepCron())),
    RECONCILE(ReconcileJob.class, c -> every(c.reconcileEvery())),
    POOL_STATS(PoolStatsJob.class, c -> every(c.poolStatsEvery()));

    static final String GROUP = "broker";

    private final Class<? extends Job> jobClass;
    private final Function<JobsConfig, ScheduleBuilder<? extends Trigger>> schedule;

    BrokerJob(Class<? extends Job> jobClass, Function<JobsConfig, ScheduleBuilder<? extends Trigger>> schedule) {
        this.jobClass = jobClass;
        this.schedule = schedule;
    }

    /** The name in logs, the admin API and the job-run records: {@code stale_sweep}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BrokerJob> parse(String wire) {
        for (BrokerJob job : values()) {
            if (job.wire().equals(wire)) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    JobKey key() {
        return JobKey.jobKey(wire(), GROUP);
    }

    Class<? extends Job> jobClass() {
        return jobClass;
    }

    ScheduleBuilder<? extends Trigger> schedule(JobsConfig config) {
        return schedule.apply(config);
    }

    /** A missed firing runs once, now; a backlog of missed ones is never replayed. */
    private static ScheduleBuilder<? extends Trigger> every(io.dropwizard.util.Duration interval) {
        return SimpleScheduleBuilder.simpleSchedule()
                .withIntervalInMilliseconds(interval.toMilliseconds())
                .repeatForever()
                .withMisfireHandlingInstructionNowWithExistingCount();
    }

    private static ScheduleBuilder<? extends Trigger> cron(String expression) {
        return CronScheduleBuilder.cronSchedule(expression).withMisfireHandlingInstructionFireAndProceed();
    }
}
