package io.sandboxbroker.broker.core;

/**
 * How full operators want one pool (name group) to be: below {@code lowWater} available sandboxes
 * it is low; {@code target} (null when not set) is the level a refill should reach.
 */
public record PoolLevel(long lowWater, Long target) {

    public PoolLevel {
        if (lowWater < 0) {
            throw new IllegalArgumentException("lowWater must not be negative");
        }
        if (target != null && target < lowWater) {
            throw new IllegalArgumentException("target must not be below lowWater");
        }
    }
}
