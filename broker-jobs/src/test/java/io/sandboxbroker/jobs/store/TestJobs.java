package io.sandboxbroker.jobs.store;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.PersistJobDataAfterExecution;

/** Job classes for the contract suite; they do nothing, the suite drives the store directly. */
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
}
