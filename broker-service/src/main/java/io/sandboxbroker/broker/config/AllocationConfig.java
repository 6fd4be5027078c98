package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.core.AllocationPolicy;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Allocation rules.
 *
 * @param labDuration        how long an allocation lasts (env {@code LAB_DURATION_HOURS})
 * @param labDurationByGroup per name group overrides, e.g. {@code lab-adventure: 8h}
 * @param gracePeriod        extra time after expiry before auto-expiry reclaims
 * @param poolEmptyRetryAfter what a 409 NO_SANDBOXES_AVAILABLE tells callers to wait
 * @param claimRetention     how long learner claims are kept; longer than any allocation
 * @param candidateBatch     candidate ids one index query fetches
 * @param lease              how far holders may extend an allocation
 */
public record AllocationConfig(
        Duration labDuration,
        Map<String, Duration> labDurationByGroup,
        Duration gracePeriod,
        Duration poolEmptyRetryAfter,
        Duration claimRetention,
        @Min(1) @Max(100) int candidateBatch,
        @jakarta.validation.Valid LeaseConfig lease) {

    public AllocationConfig {
        labDuration = labDuration == null ? Duration.hours(48) : labDuration;
        labDurationByGroup = labDurationByGroup == null ? Map.of() : Map.copyOf(labDurationByGroup);
        gracePeriod = gracePeriod == null ? Duration.minutes(30) : gracePeriod;
        poolEmptyRetryAfter = poolEmptyRetryAfter == null ? Duration.seconds(30) : poolEmptyRetryAfter;
        claimRetention = claimRetention == null ? Duration.days(14) : claimRetention;
        candidateBatch = candidateBatch == 0 ? 25 : candidateBatch;
        lease = lease == null ? LeaseConfig.defaults() : lease;
    }

    /**
     * A learner's claim must outlive the longest allocation plus the grace: were it gone earlier, a
     * late retry of the setup script would find no claim and get a second sandbox.
     */
    @JsonIgnore
    @AssertTrue(
            message = "must be at least the longest lab duration of any pool (labDuration, labDurationByGroup, "
                    + "lease.maxLease) plus gracePeriod, or a late retry could get a second sandbox")
    public boolean isClaimRetentionLongEnough() {
        java.time.Duration longest = labDurationByGroup.values().stream()
                .map(Duration::toJavaDuration)
                .reduce(labDuration.toJavaDuration(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        // An extended allocation lasts up to the lease maximum.
        longest = longest.compareTo(lease.longestLease()) >= 0 ? longest : lease.longestLease();
        return claimRetention.toJavaDuration().compareTo(longest.plus(gracePeriod.toJavaDuration())) >= 0;
    }

    /** The allocation rules this configures; attempts keep the domain's default. */
    @JsonIgnore
    public AllocationPolicy policy() {
        Map<String, java.time.Duration> byGroup = new LinkedHashMap<>();
        labDurationByGroup().forEach((group, duration) -> byGroup.put(group, duration.toJavaDuration()));
        AllocationPolicy defaults = AllocationPolicy.defaults();
        return new AllocationPolicy(
                labDuration().toJavaDuration(),
                byGroup,
                gracePeriod().toJavaDuration(),
                poolEmptyRetryAfter().toJavaDuration(),
                candidateBatch(),
                defaults.maxAttempts());
    }
}
