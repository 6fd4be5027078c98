package io.sandboxbroker.jobs.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import io.sandboxbroker.jobs.store.DynamoJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.quartz.Scheduler;

/**
 * Healthy while the scheduler is running and checked in recently (within {@code maxMissedCheckins}
 * intervals), or while it is a standby scheduler that never started (an API process). Reports the
 * scheduler state and the age of the last successful check-in.
 */
public final class SchedulerHealthCheck extends HealthCheck {
    private final Scheduler scheduler;
    private final DynamoJobStore store;
    private final Clock clock;
    private final int maxMissedCheckins;

    public SchedulerHealthCheck(Scheduler scheduler, DynamoJobStore store, Clock clock) {
        this(scheduler, store, clock, 3);
    }

    public SchedulerHealthCheck(Scheduler scheduler, DynamoJobStore store, Clock clock, int maxMissedCheckins) {
        this.scheduler = scheduler;
        this.store = store;
        this.clock = clock;
        this.maxMissedCheckins = maxMissedCheckins;
    }

    @Override
    protected Result check() throws Exception {
        String state = scheduler.isShutdown() ? "shutdown" : scheduler.isInStandbyMode() ? "standby" : "started";
        Optional<Instant> last = store.lastCheckin();
        ResultBuilder result = scheduler.isShutdown()
                ? Result.builder().unhealthy()
                : Result.builder().healthy();
        result.withDetail("state", state).withDetail("instanceId", scheduler.getSchedulerInstanceId());
        if (scheduler.isShutdown()) {
            return result.withMessage("scheduler is shut down").build();
        }
        if (last.isEmpty()) {
            return scheduler.isInStandbyMode()
                    ? result.withMessage("standby: enqueues only, does not check in")
                            .build()
                    : Result.builder()
                            .unhealthy()
                            .withDetail("state", state)
                            .withMessage("started but never checked in")
                            .build();
        }
        Duration age = Duration.between(last.get(), clock.instant());
        Duration limit = store.config().checkinInterval().multipliedBy(maxMissedCheckins);
        result.withDetail("lastCheckin", last.get().toString()).withDetail("checkinAgeMs", age.toMillis());
        if (age.compareTo(limit) > 0) {
            return Result.builder()
                    .unhealthy()
                    .withDetail("state", state)
                    .withDetail("lastCheckin", last.get().toString())
                    .withDetail("checkinAgeMs", age.toMillis())
                    .withMessage("last check-in " + age.toMillis() + " ms ago, more than " + limit.toMillis() + " ms")
                    .build();
        }
        return result.withMessage("checked in " + age.toMillis() + " ms ago").build();
    }
}
