package io.sandboxbroker.jobs.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.PersistJobDataAfterExecution;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Job classes for the tests: those of the contract suite do nothing (the suite drives the store directly);
 * {@link RecordingJob} notes its runs for the cluster tests.
 */
public final class TestJobs {
    private TestJobs() {}

    public static final class NoOpJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {}
    }

    @DisallowConcurrentExecution
    public static final class NonConcurrentJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {}
    }

    @PersistJobDataAfterExecution
    @DisallowConcurrentExecution
    public static final class StatefulJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {}
    }

    /** Notes the name of the trigger of each run, in {@link #RUNS}; a test clears it first. */
    public static final class RecordingJob implements Job {
        public static final List<String> RUNS = new CopyOnWriteArrayList<>();

        @Override
        public void execute(JobExecutionContext context) {
            RUNS.add(context.getTrigger().getKey().getName());
        }
    }

    /** Stores a durable job of the class under the key, as a job that is only triggered now and then. */
    public static void storeDurably(Scheduler scheduler, Class<? extends Job> job, JobKey key)
            throws SchedulerException {
        scheduler.addJob(JobBuilder.newJob(job).withIdentity(key).storeDurably().build(), false);
    }
}
