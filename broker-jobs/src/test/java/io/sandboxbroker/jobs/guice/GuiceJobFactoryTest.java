package io.sandboxbroker.jobs.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import jakarta.inject.Inject;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.TriggerBuilder;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

class GuiceJobFactoryTest {
    static final class Greeting {
        String text() {
            return "hello";
        }
    }

    static final class GreetingJob implements Job {
        final Greeting greeting;

        @Inject
        GreetingJob(Greeting greeting) {
            this.greeting = greeting;
        }

        @Override
        public void execute(JobExecutionContext context) {}
    }

    @Test
    void newJob_isBuiltByTheInjector_withItsDependencies() throws Exception {
        Greeting greeting = new Greeting();
        GuiceJobFactory factory = new GuiceJobFactory(Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Greeting.class).toInstance(greeting);
            }
        }));
        JobDetail job =
                JobBuilder.newJob(GreetingJob.class).withIdentity("greet").build();
        OperableTrigger trigger =
                (OperableTrigger) TriggerBuilder.newTrigger().forJob(job).build();
        TriggerFiredBundle bundle =
                new TriggerFiredBundle(job, trigger, null, false, new Date(), new Date(), null, null);

        Job created = factory.newJob(bundle, null);

        assertThat(created)
                .isInstanceOfSatisfying(
                        GreetingJob.class, j -> assertThat(j.greeting).isSameAs(greeting));
    }
}
