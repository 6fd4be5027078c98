package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.config.JobsConfig;
import java.util.Objects;
import org.quartz.JobBuilder;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every {@link BrokerJob} in the cluster's store. Job details are stored by every process
 * (so an API process can enqueue before any jobs process ever ran); repeating triggers only by jobs
 * processes, and only when missing or changed, so a deploy does not reset the next fire times. Jobs
 * processes starting together may race to create a trigger; the loser takes the winner's.
 */
public final class JobSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(JobSchedules.class);

    private final Scheduler scheduler;
    private final JobsConfig config;

    public JobSchedules(Scheduler scheduler, JobsConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    /** Stores every job as durable, so one-off runs can be triggered at any time. */
    public void storeJobs() throws SchedulerException {
        for (BrokerJob job : BrokerJob.values()) {
            scheduler.addJob(
                    JobBuilder.newJob(job.jobClass())
                            .withIdentity(job.key())
                            .storeDurably()
                            .requestRecovery(false)
                            .build(),
                    true);
        }
    }

    /** Schedules every job's repeating trigger; returns how many jobs are scheduled. */
    public int scheduleAll() throws SchedulerException {
        for (BrokerJob job : BrokerJob.values()) {
            Trigger wanted = TriggerBuilder.newTrigger()
                    .withIdentity(triggerKey(job))
                    .forJob(job.key())
                    .withSchedule(job.schedule(config))
                    .startNow()
                    .build();
            Trigger existing = scheduler.getTrigger(triggerKey(job));
            if (existing == null) {
                try {
                    scheduler.scheduleJob(wanted);
                    LOG.info("action=schedule job={} outcome=scheduled", job.wire());
                    continue;
                } catch (ObjectAlreadyExistsException anotherNodeWasFaster) {
                    existing = scheduler.getTrigger(triggerKey(job));
                }
            }
            if (existing != null && !sameSchedule(existing, wanted)) {
                scheduler.rescheduleJob(triggerKey(job), wanted);
                LOG.info("action=schedule job={} outcome=rescheduled", job.wire());
            }
        }
        return BrokerJob.values().length;
    }

    static TriggerKey triggerKey(BrokerJob job) {
        return TriggerKey.triggerKey(job.wire() + "-schedule", BrokerJob.GROUP);
    }

    private static boolean sameSchedule(Trigger existing, Trigger wanted) {
        return Objects.equals(describe(existing), describe(wanted));
    }

    /** The schedule part of a trigger: its type and interval or cron expression. */
    static String describe(Trigger trigger) {
        if (trigger instanceof org.quartz.SimpleTrigger simple) {
            return "every " + java.time.Duration.ofMillis(simple.getRepeatInterval());
        }
        if (trigger instanceof org.quartz.CronTrigger cron) {
            return "cron " + cron.getCronExpression();
        }
        return trigger.getClass().getSimpleName();
    }
}
