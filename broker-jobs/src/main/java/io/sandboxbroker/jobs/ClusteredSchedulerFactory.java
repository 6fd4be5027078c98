package io.sandboxbroker.jobs;

import io.sandboxbroker.jobs.store.DynamoJobStore;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.time.Clock;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.DefaultThreadExecutor;
import org.quartz.impl.DirectSchedulerFactory;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.spi.JobFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds a named, clustered Quartz scheduler on the DynamoDB JobStore through Quartz's
 * {@link DirectSchedulerFactory}. The scheduler is returned in standby: call {@code start()} on a node
 * that runs jobs; a process that only enqueues leaves it in standby.
 *
 * <p>Quartz keeps schedulers in a JVM-wide repository by name, so two live schedulers in one JVM need
 * different names; the name is not part of the stored data (the table is the cluster).
 */
public final class ClusteredSchedulerFactory {
    /** A scheduler and the store under it (for its check-in time and the cluster's nodes). */
    public record ClusteredScheduler(Scheduler scheduler, DynamoJobStore store) {}

    private ClusteredSchedulerFactory() {}

    public static ClusteredScheduler create(
            DynamoDbClient client,
            DynamoJobStoreConfig config,
            String schedulerName,
            String instanceId,
            int threadCount,
            JobFactory jobFactory)
            throws SchedulerException {
        return create(client, config, schedulerName, instanceId, threadCount, jobFactory, Clock.systemUTC());
    }

    /** As above, with the wall clock the store uses (misfires, check-in times); liveness never depends on it. */
    public static ClusteredScheduler create(
            DynamoDbClient client,
            DynamoJobStoreConfig config,
            String schedulerName,
            String instanceId,
            int threadCount,
            JobFactory jobFactory,
            Clock clock)
            throws SchedulerException {
        DynamoJobStore store = new DynamoJobStore(client, config, clock);
        SimpleThreadPool threads = new SimpleThreadPool(threadCount, Thread.NORM_PRIORITY);
        threads.setThreadNamePrefix(schedulerName + "-" + instanceId + "-worker");
        DirectSchedulerFactory factory = DirectSchedulerFactory.getInstance();
        // batch as many triggers as there are threads: one acquisition pass (a query per shard) serves them all
        factory.createScheduler(
                schedulerName,
                instanceId,
                threads,
                new DefaultThreadExecutor(),
                store,
                null,
                null,
                0,
                config.idleWaitTime().toMillis(),
                -1,
                false,
                null,
                threadCount,
                0L);
        Scheduler scheduler = factory.getScheduler(schedulerName);
        if (jobFactory != null) {
            scheduler.setJobFactory(jobFactory);
        }
        scheduler.getContext().put(JobFence.STORE_KEY, store);
        return new ClusteredScheduler(scheduler, store);
    }
}
