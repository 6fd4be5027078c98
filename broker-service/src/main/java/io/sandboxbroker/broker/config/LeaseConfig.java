package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.core.LeasePolicy;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lease extension ({@code POST /v1/sandboxes/{id}/extend}).
 *
 * @param step          what one extension adds when the caller names no amount (default 4 h)
 * @param maxLease      the longest an allocation may last in total, from allocation (default 72 h)
 * @param maxExtensions how often one allocation may be extended (default 3; 0 turns extension off)
 * @param byGroup       per name group overrides, e.g. {@code lab-adventure: {maxLease: 12h}}
 */
public record LeaseConfig(
        Duration step, Duration maxLease, @Min(0) Integer maxExtensions, Map<String, LeaseConfig> byGroup) {

    public LeaseConfig {
        LeasePolicy.Rule fallback = LeasePolicy.defaults().fallback();
        step = step == null ? Duration.minutes(fallback.step().toMinutes()) : step;
        maxLease = maxLease == null ? Duration.hours(fallback.maxLease().toHours()) : maxLease;
        maxExtensions = maxExtensions == null ? fallback.maxExtensions() : maxExtensions;
        byGroup = byGroup == null ? Map.of() : Map.copyOf(byGroup);
    }

    public static LeaseConfig defaults() {
        return new LeaseConfig(null, null, null, null);
    }

    /** The longest total lease of any group. */
    @JsonIgnore
    java.time.Duration longestLease() {
        return byGroup.values().stream()
                .map(group -> group.maxLease().toJavaDuration())
                .reduce(maxLease.toJavaDuration(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    @JsonIgnore
    public LeasePolicy policy() {
        Map<String, LeasePolicy.Rule> rules = new LinkedHashMap<>();
        byGroup.forEach((group, config) -> rules.put(group, config.rule()));
        return new LeasePolicy(rule(), rules);
    }

    private LeasePolicy.Rule rule() {
        return new LeasePolicy.Rule(step.toJavaDuration(), maxLease.toJavaDuration(), maxExtensions);
    }
}
