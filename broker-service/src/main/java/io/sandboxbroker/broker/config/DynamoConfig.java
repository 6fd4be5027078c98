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
        @NotNull Duration callTimeout) {

    public DynamoConfig {
        availableShards = availableShards == 0 ? 8 : availableShards;
        maxConnections = maxConnections == 0 ? 200 : maxConnections;
        attemptTimeout = attemptTimeout == null ? Duration.seconds(2) : attemptTimeout;
        callTimeout = callTimeout == null ? Duration.seconds(8) : callTimeout;
    }
}
