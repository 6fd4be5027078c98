package io.sandboxbroker.broker.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Where the tables are.
 *
 * @param tableName       the pool table
 * @param quartzTableName the scheduler's table (owned by broker-jobs)
 * @param region          AWS region
 * @param endpoint        a dynalite URL locally and in tests; empty in AWS
 * @param createTables    create missing tables at start (local runs and tests; Terraform does it in AWS)
 * @param availableShards shards of the available index; change only on an empty pool
 * @param attemptTimeout  one HTTP attempt; DynamoDB answers in milliseconds, so an attempt this long
 *                        is stuck and better retried on a fresh connection
 * @param callTimeout     one call with all its retries; well inside ECS's 30 s stop timeout, so a
 *                        stopping task's last writes end before it is killed
 * @param maxAttempts     attempts per call, the first included (writes recognise their own earlier success)
 * @param backoffBase     first retry delay after an error, doubled per attempt, with full jitter
 * @param throttleBackoffBase first retry delay after throttling: longer, to let capacity recover
 * @param backoffMax      longest delay between attempts
 */
public record DynamoConfig(
        @NotBlank String tableName,
        @NotBlank String quartzTableName,
        @NotBlank String region,
        String endpoint,
        boolean createTables,
        @Min(1) @Max(64) int availableShards,
        @Min(1) @Max(1000) int maxConnections,
        @NotNull Duration attemptTimeout,
        @NotNull Duration callTimeout,
        @Min(1) @Max(10) int maxAttempts,
        @NotNull Duration backoffBase,
        @NotNull Duration throttleBackoffBase,
        @NotNull Duration backoffMax) {

    public DynamoConfig {
        availableShards = availableShards == 0 ? 8 : availableShards;
        maxConnections = maxConnections == 0 ? 200 : maxConnections;
        attemptTimeout = attemptTimeout == null ? Duration.seconds(2) : attemptTimeout;
        callTimeout = callTimeout == null ? Duration.seconds(8) : callTimeout;
        maxAttempts = maxAttempts == 0 ? 4 : maxAttempts;
        backoffBase = backoffBase == null ? Duration.milliseconds(25) : backoffBase;
        throttleBackoffBase = throttleBackoffBase == null ? Duration.milliseconds(250) : throttleBackoffBase;
        backoffMax = backoffMax == null ? Duration.seconds(2) : backoffMax;
    }
}
