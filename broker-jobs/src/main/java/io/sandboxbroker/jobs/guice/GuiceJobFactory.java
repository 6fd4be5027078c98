package io.sandboxbroker.jobs.guice;

import com.google.inject.Injector;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Creates each job through a Guice injector, so jobs get their services by constructor injection.
 * Job data is not copied into bean properties: jobs read the few ids they need from the context.
 */
public final class GuiceJobFactory implements JobFactory {
    private final Injector injector;

    public GuiceJobFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        try {
            return injector.getInstance(type);
        } catch (RuntimeException e) {
            throw new SchedulerException("cannot create job " + type.getName() + " through Guice", e);
        }
    }
}
