package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.core.LifecyclePolicy;

/**
 * The other background lifecycle times.
 *
 * @param staleGrace        stale longer than this → removed by the sweep (env {@code STALE_GRACE_HOURS}, default 24 h)
 * @param claimMinAge       claims younger than this are left to their allocation (default 5 min)
 * @param claimLookback     how far back the reconciler looks (default 3 h)
 * @param statsMaxAge       stored pool statistics older than this are recomputed by a reader (default 2 min)
 * @param jobRunRetention   how long job-run records stay (env {@code JOB_RUN_TTL_DAYS}, default 14 days)
 * @param sandboxHistoryRetention how long a sandbox's history events stay after each change
 *                          (env {@code SANDBOX_HISTORY_TTL_DAYS}, default 90 days)
 */
public record LifecycleConfig(
        Duration staleGrace,
        Duration claimMinAge,
        Duration claimLookback,
        Duration statsMaxAge,
        Duration jobRunRetention,
        Duration sandboxHistoryRetention) {

    public LifecycleConfig {
        staleGrace = staleGrace == null ? Duration.hours(24) : staleGrace;
        claimMinAge = claimMinAge == null ? Duration.minutes(5) : claimMinAge;
        claimLookback = claimLookback == null ? Duration.hours(3) : claimLookback;
        statsMaxAge = statsMaxAge == null ? Duration.minutes(2) : statsMaxAge;
        jobRunRetention = jobRunRetention == null ? Duration.days(14) : jobRunRetention;
        sandboxHistoryRetention = sandboxHistoryRetention == null ? Duration.days(90) : sandboxHistoryRetention;
    }

    public static LifecycleConfig defaults() {
        return new LifecycleConfig(null, null, null, null, null, null);
    }

    /** The sweeps' and reconciler's rules this configures. */
    @JsonIgnore
    public LifecyclePolicy policy() {
        return new LifecyclePolicy(
                staleGrace().toJavaDuration(),
                claimMinAge().toJavaDuration(),
                claimLookback().toJavaDuration(),
                statsMaxAge().toJavaDuration());
    }
}
