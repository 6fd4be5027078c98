package io.sandboxbroker.broker.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The background jobs and their clustered scheduler (docs/architecture.md#jobs-and-schedules).
 *
 * @param instanceId       this process in the cluster; blank = host name plus a random suffix
 *                         (ECS task ids are unique, and a restarted process is a new instance)
 * @param threads          jobs one process runs at once
 * @param checkinInterval  how often a node tells the cluster it is alive
 * @param idleWait         how often an idle node looks for due work (also the delay of an enqueued run)
 * @param misfireThreshold how late a firing may be before its misfire rule applies
 */
public record JobsConfig(
        String instanceId,
        @Min(1) @Max(32) int threads,
        Duration checkinInterval,
        Duration idleWait,
        Duration misfireThreshold,
        Duration syncEvery,
        Duration cleanupEvery,
        Duration expiryEvery,
        String staleSweepCron,
        Duration reconcileEvery,
        Duration poolStatsEvery) {

    public JobsConfig {
        threads = threads == 0 ? 4 : threads;
        checkinInterval = checkinInterval == null ? Duration.milliseconds(7500) : checkinInterval;
        idleWait = idleWait == null ? Duration.seconds(5) : idleWait;
        misfireThreshold = misfireThreshold == null ? Duration.seconds(60) : misfireThreshold;
        syncEvery = syncEvery == null ? Duration.minutes(10) : syncEvery;
        cleanupEvery = cleanupEvery == null ? Duration.minutes(5) : cleanupEvery;
        expiryEvery = expiryEvery == null ? Duration.minutes(5) : expiryEvery;
        staleSweepCron = staleSweepCron == null || staleSweepCron.isBlank() ? "0 15 3 * * ?" : staleSweepCron;
        reconcileEvery = reconcileEvery == null ? Duration.minutes(1) : reconcileEvery;
        poolStatsEvery = poolStatsEvery == null ? Duration.seconds(30) : poolStatsEvery;
    }

    public static JobsConfig defaults() {
        return new JobsConfig(null, 0, null, null, null, null, null, null, null, null, null);
    }
}
