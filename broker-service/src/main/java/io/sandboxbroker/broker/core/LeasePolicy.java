package io.sandboxbroker.broker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How far a holder may extend an allocation, per name group (pool) with a default.
 *
 * @param fallback the rule of sandboxes whose group has none of its own
 * @param byGroup  rules by name group ({@link NameGroup})
 */
public record LeasePolicy(Rule fallback, Map<String, Rule> byGroup) {

    /**
     * @param step          what one extension adds when the holder names no amount
     * @param maxLease      the longest an allocation may last in total, from {@code allocated_at}
     * @param maxExtensions how many times one allocation may be extended
     */
    public record Rule(Duration step, Duration maxLease, int maxExtensions) {
        public Rule {
            if (step.isNegative() || step.isZero() || maxLease.isNegative() || maxExtensions < 0) {
                throw new IllegalArgumentException("step must be positive; maxLease and maxExtensions not negative");
            }
        }
    }

    public LeasePolicy {
        byGroup = Map.copyOf(byGroup);
    }

    public static LeasePolicy defaults() {
        return new LeasePolicy(new Rule(Duration.ofHours(4), Duration.ofHours(72), 3), Map.of());
    }

    public Rule ruleFor(String sandboxName) {
        return byGroup.getOrDefault(NameGroup.of(sandboxName), fallback);
    }

    /** The latest {@code expires_at} an allocation made at {@code allocatedAt} may reach. */
    public Instant latestExpiry(String sandboxName, Instant allocatedAt) {
        return allocatedAt.plus(ruleFor(sandboxName).maxLease());
    }
}
