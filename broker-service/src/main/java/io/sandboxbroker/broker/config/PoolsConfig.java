package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.core.PoolLevel;
import io.sandboxbroker.broker.core.PoolLevels;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pool levels: {@code defaults} for every pool (name group) not listed, {@code groups} per pool,
 * e.g. {@code lab-adventure: {lowWater: 50, target: 200}}; {@code usageFlushEvery}: how often a
 * process adds the allocations it counted to the hourly buckets (default 10 s).
 */
public record PoolsConfig(@Valid Level defaults, Map<String, @Valid Level> groups, Duration usageFlushEvery) {

    /**
     * @param lowWater fewer available sandboxes than this: the pool is low (0 = never low, only empty)
     * @param target   what a refill should reach; optional, at least {@code lowWater}
     */
    public record Level(@Min(0) long lowWater, @Min(0) Long target) {

        @JsonIgnore
        @AssertTrue(message = "target must be at least lowWater")
        public boolean isTargetAboveLowWater() {
            return target == null || target >= lowWater;
        }

        PoolLevel level() {
            return new PoolLevel(lowWater, target);
        }
    }

    public PoolsConfig {
        defaults = defaults == null ? new Level(PoolLevels.defaults().unlisted().lowWater(), null) : defaults;
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        usageFlushEvery = usageFlushEvery == null ? Duration.seconds(10) : usageFlushEvery;
    }

    public static PoolsConfig defaultLevels() {
        return new PoolsConfig(null, null, null);
    }

    @JsonIgnore
    @AssertTrue(message = "usageFlushEvery must be at least 1 second")
    public boolean isUsageFlushEveryPositive() {
        return usageFlushEvery.toSeconds() >= 1;
    }

    /** The levels this configures; a listed pool's invalid level was refused at start-up. */
    @JsonIgnore
    public PoolLevels levels() {
        Map<String, PoolLevel> byGroup = new LinkedHashMap<>();
        groups.forEach((group, level) -> byGroup.put(group, level.level()));
        return new PoolLevels(defaults.level(), byGroup);
    }
}
