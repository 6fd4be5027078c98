package io.sandboxbroker.broker.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.config.JobsConfig;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.jobs.JobHealth;
import io.sandboxbroker.broker.jobs.JobQueue;
import io.sandboxbroker.broker.jobs.JobsOverview;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.guice.GuiceJobFactory;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.time.Clock;
import java.util.UUID;
import org.quartz.SchedulerException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The clustered scheduler on the Quartz table, and what the admin API reads and enqueues through it. */
final class JobsModule extends AbstractModule {
    private final BrokerConfiguration config;

    JobsModule(BrokerConfiguration config) {
        this.config = config;
    }

    @Provides
    @Singleton
    @Named("instanceId")
    String instanceId() {
        String configured = config.jobs().instanceId();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Run records name the process by its cluster instance id. */
    @Provides
    @Singleton
    JobRunLog.Node node(@Named("instanceId") String instanceId) {
        return new JobRunLog.Node(instanceId);
    }

    /** The scheduler builds jobs through this injector, so jobs get their services like anything else. */
    @Provides
    @Singleton
    ClusteredScheduler scheduler(DynamoDbClient dynamo, Injector injector, @Named("instanceId") String instanceId)
            throws SchedulerException {
        JobsConfig jobs = config.jobs();
        DynamoJobStoreConfig store = DynamoJobStoreConfig.defaults(
                        config.dynamodb().quartzTableName())
                .withCheckinInterval(jobs.checkinInterval().toJavaDuration())
                .withIdleWaitTime(jobs.idleWait().toJavaDuration())
                .withMisfireThreshold(jobs.misfireThreshold().toJavaDuration());
        // Quartz names schedulers JVM-wide; tests run several applications in one JVM.
        return ClusteredSchedulerFactory.create(
                dynamo,
                store,
                "sandbox-broker-" + instanceId,
                instanceId,
                jobs.threads(),
                new GuiceJobFactory(injector));
    }

    /** Read by the last-success gauges, the jobs health check and the job.stuck events alike. */
    @Provides
    @Singleton
    JobHealth jobHealth(JobRunLog runs, Clock clock) {
        return new JobHealth(runs, config.jobs(), clock);
    }

    @Provides
    @Singleton
    JobQueue jobQueue(ClusteredScheduler scheduler, JobRunLog runs) {
        return new JobQueue(scheduler.scheduler(), runs);
    }

    @Provides
    @Singleton
    JobsOverview jobsOverview(ClusteredScheduler scheduler, JobRunLog runs) {
        return new JobsOverview(scheduler.scheduler(), scheduler.store(), runs);
    }
}
