package io.sandboxbroker.jobs.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the DynamoDB JobStore and of the clustered scheduler built on it.
 *
 * @param tableName        the Quartz table (one per cluster)
 * @param checkinInterval  how often each instance checks in and looks for dead instances
 * @param failureMultiple  an instance is dead after {@code failureMultiple × checkinInterval} without a check-in
 * @param misfireThreshold how late a trigger may fire before its misfire instruction applies
 * @param shards           partitions of the due-trigger index; acquisition queries each
 * @param idleWaitTime     how long an idle scheduler waits before looking again; bounds how soon a node
 *                         notices a trigger another process stored
 */
public record DynamoJobStoreConfig(
        String tableName,
        Duration checkinInterval,
        int failureMultiple,
        Duration misfireThreshold,
        int shards,
        Duration idleWaitTime) {
    public DynamoJobStoreConfig {
        Objects.requireNonNull(tableName, "tableName");
        if (tableName.isBlank()) {
            throw new IllegalArgumentException("tableName is blank");
        }
        requirePositive(checkinInterval, "checkinInterval");
        requirePositive(misfireThreshold, "misfireThreshold");
        requirePositive(idleWaitTime, "idleWaitTime");
        if (failureMultiple < 2) {
            throw new IllegalArgumentException("failureMultiple must be at least 2, was " + failureMultiple);
        }
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("shards must be 1..64, was " + shards);
        }
    }

    /** Production defaults: check in every 7.5 s, dead after 4 missed intervals, misfire after 60 s, 4 shards, 5 s idle wait. */
    public static DynamoJobStoreConfig defaults(String tableName) {
        return new DynamoJobStoreConfig(
                tableName, Duration.ofMillis(7500), 4, Duration.ofSeconds(60), 4, Duration.ofSeconds(5));
    }

    public DynamoJobStoreConfig withCheckinInterval(Duration interval) {
        return new DynamoJobStoreConfig(tableName, interval, failureMultiple, misfireThreshold, shards, idleWaitTime);
    }

    public DynamoJobStoreConfig withFailureMultiple(int multiple) {
        return new DynamoJobStoreConfig(tableName, checkinInterval, multiple, misfireThreshold, shards, idleWaitTime);
    }

    public DynamoJobStoreConfig withMisfireThreshold(Duration threshold) {
        return new DynamoJobStoreConfig(tableName, checkinInterval, failureMultiple, threshold, shards, idleWaitTime);
    }

    public DynamoJobStoreConfig withShards(int count) {
        return new DynamoJobStoreConfig(
                tableName, checkinInterval, failureMultiple, misfireThreshold, count, idleWaitTime);
    }

    public DynamoJobStoreConfig withIdleWaitTime(Duration idle) {
        return new DynamoJobStoreConfig(tableName, checkinInterval, failureMultiple, misfireThreshold, shards, idle);
    }

    /** How long a node may stay silent before others recover it. */
    public Duration failureTimeout() {
        return checkinInterval.multipliedBy(failureMultiple);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
