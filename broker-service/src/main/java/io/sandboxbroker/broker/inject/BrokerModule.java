package io.sandboxbroker.broker.inject;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.sandboxbroker.broker.config.AllocationConfig;
import io.sandboxbroker.broker.core.AllocationMetrics;
import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.ClaimStore;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.SandboxCleaner;
import io.sandboxbroker.broker.core.SandboxProvider;
import io.sandboxbroker.broker.core.SandboxRepository;
import io.sandboxbroker.broker.core.StorageCalls;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoClients;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.health.StorageProbe;
import io.sandboxbroker.broker.metrics.DropwizardAllocationMetrics;
import io.sandboxbroker.broker.metrics.PoolGauges;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.provider.NiosxaasClient;
import io.sandboxbroker.broker.resources.AuthFeature;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Wires the broker: configuration in, ports bound to their DynamoDB and HTTP adapters. */
public final class BrokerModule extends AbstractModule {
    private final BrokerConfiguration config;
    private final MetricRegistry metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final TokenRegistry tokens;

    public BrokerModule(BrokerConfiguration config, MetricRegistry metrics, ObjectMapper json, Clock clock,
            TokenRegistry tokens) {
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.tokens = tokens;
    }

    @Override
    protected void configure() {
        binder().requireAtInjectOnConstructors();
        binder().disableCircularProxies();
        bind(Clock.class).toInstance(clock);
        bind(MetricRegistry.class).toInstance(metrics);
        bind(TokenRegistry.class).toInstance(tokens);
        bind(AllocationService.class).in(Singleton.class);
        bind(PoolService.class).in(Singleton.class);
        bind(SyncService.class).in(Singleton.class);
        bind(AuthFeature.class).in(Singleton.class);
        bind(PoolGauges.class).in(Singleton.class);
        bind(StorageCalls.class).to(DynamoCallCounter.class);
        bind(AllocationMetrics.class).to(DropwizardAllocationMetrics.class);
    }

    @Provides
    @Singleton
    DynamoCallCounter callCounter() {
        return new DynamoCallCounter(metrics);
    }

    @Provides
    @Singleton
    DropwizardAllocationMetrics allocationMetrics() {
        return new DropwizardAllocationMetrics(metrics);
    }

    @Provides
    @Singleton
    DynamoDbClient dynamo(DynamoCallCounter counter) {
        return DynamoClients.build(config.dynamodb(), counter);
    }

    @Provides
    @Singleton
    SandboxRepository sandboxes(DynamoDbClient dynamo) {
        return new DynamoSandboxRepository(dynamo, config.dynamodb().tableName(), config.dynamodb().availableShards());
    }

    @Provides
    @Singleton
    ClaimStore claims(DynamoDbClient dynamo) {
        return new DynamoClaimStore(dynamo, config.dynamodb().tableName(),
                config.allocation().claimRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    StorageProbe storageProbe(DynamoDbClient dynamo) {
        return new StorageProbe(dynamo, config.dynamodb().tableName());
    }

    @Provides
    @Singleton
    SandboxProvider provider() {
        return new CspClient(config.csp(), json);
    }

    @Provides
    @Singleton
    SandboxCleaner cleaner() {
        return new NiosxaasClient(config.niosxaas(), json);
    }

    @Provides
    @Singleton
    AllocationPolicy allocationPolicy() {
        AllocationConfig allocation = config.allocation();
        Map<String, java.time.Duration> byGroup = new LinkedHashMap<>();
        allocation.labDurationByGroup().forEach((group, duration) -> byGroup.put(group, duration.toJavaDuration()));
        AllocationPolicy defaults = AllocationPolicy.defaults();
        return new AllocationPolicy(allocation.labDuration().toJavaDuration(), byGroup,
                allocation.gracePeriod().toJavaDuration(), allocation.poolEmptyRetryAfter().toJavaDuration(),
                allocation.candidateBatch(), defaults.maxAttempts());
    }
}
