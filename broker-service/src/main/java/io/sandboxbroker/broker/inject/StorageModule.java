package io.sandboxbroker.broker.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.AnnouncedStates;
import io.sandboxbroker.broker.core.ClaimStore;
import io.sandboxbroker.broker.core.CleanupHistory;
import io.sandboxbroker.broker.core.JobRuns;
import io.sandboxbroker.broker.core.PoolStatsStore;
import io.sandboxbroker.broker.core.RetiredTenants;
import io.sandboxbroker.broker.core.SandboxHistory;
import io.sandboxbroker.broker.core.SandboxRepository;
import io.sandboxbroker.broker.core.StorageProbe;
import io.sandboxbroker.broker.core.UsageStore;
import io.sandboxbroker.broker.core.WebhookOutbox;
import io.sandboxbroker.broker.db.DynamoAnnouncedStates;
import io.sandboxbroker.broker.db.DynamoAttemptMetrics;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoCleanupHistory;
import io.sandboxbroker.broker.db.DynamoClients;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.db.DynamoRetiredTenants;
import io.sandboxbroker.broker.db.DynamoSandboxHistory;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.db.DynamoStorageProbe;
import io.sandboxbroker.broker.db.DynamoUsageStore;
import io.sandboxbroker.broker.db.DynamoWebhookOutbox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The core's storage ports on the pool table. Creating tables is a start-up step, not done here. */
final class StorageModule extends AbstractModule {
    private final BrokerConfiguration config;

    StorageModule(BrokerConfiguration config) {
        this.config = config;
    }

    @Provides
    @Singleton
    DynamoDbClient dynamo(DynamoAttemptMetrics attempts, DynamoCallCounter counter) {
        return DynamoClients.build(config.dynamodb(), attempts, counter);
    }

    @Provides
    @Singleton
    SandboxRepository sandboxes(DynamoDbClient dynamo, DynamoSandboxHistory history) {
        return new DynamoSandboxRepository(
                dynamo, config.dynamodb().tableName(), config.dynamodb().availableShards(), history);
    }

    @Provides
    @Singleton
    DynamoSandboxHistory dynamoSandboxHistory(DynamoDbClient dynamo) {
        return new DynamoSandboxHistory(
                dynamo,
                config.dynamodb().tableName(),
                config.lifecycle().sandboxHistoryRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    SandboxHistory sandboxHistory(DynamoSandboxHistory history) {
        return history;
    }

    @Provides
    @Singleton
    RetiredTenants retiredTenants(DynamoDbClient dynamo) {
        return new DynamoRetiredTenants(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    ClaimStore claims(DynamoDbClient dynamo) {
        return new DynamoClaimStore(
                dynamo,
                config.dynamodb().tableName(),
                config.allocation().claimRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    StorageProbe storageProbe(DynamoDbClient dynamo) {
        return new DynamoStorageProbe(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    CleanupHistory cleanupHistory(DynamoDbClient dynamo) {
        return new DynamoCleanupHistory(
                dynamo,
                config.dynamodb().tableName(),
                config.cleanup().historyRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    JobRuns jobRuns(DynamoDbClient dynamo) {
        return new DynamoJobRuns(
                dynamo,
                config.dynamodb().tableName(),
                config.lifecycle().jobRunRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    PoolStatsStore poolStatsStore(DynamoDbClient dynamo) {
        return new DynamoPoolStatsStore(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    UsageStore usageStore(DynamoDbClient dynamo) {
        return new DynamoUsageStore(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    WebhookOutbox webhookOutbox(DynamoDbClient dynamo) {
        return new DynamoWebhookOutbox(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    AnnouncedStates announcedStates(DynamoDbClient dynamo) {
        return new DynamoAnnouncedStates(dynamo, config.dynamodb().tableName());
    }
}
