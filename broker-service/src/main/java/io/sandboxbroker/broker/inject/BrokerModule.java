package io.sandboxbroker.broker.inject;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sandboxbroker.broker.config.AllocationConfig;
import io.sandboxbroker.broker.config.BreakerConfig;
import io.sandboxbroker.broker.config.CleanupConfig;
import io.sandboxbroker.broker.config.LifecycleConfig;
import io.sandboxbroker.broker.core.CleanupHistory;
import io.sandboxbroker.broker.core.CleanupPolicy;
import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.ExpiryService;
import io.sandboxbroker.broker.core.CleanupReport;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.core.JobRuns;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.PoolStatsStore;
import io.sandboxbroker.broker.core.ReconcileService;
import io.sandboxbroker.broker.core.StaleSweepService;
import io.sandboxbroker.broker.core.StopSignal;
import io.sandboxbroker.broker.db.DynamoCleanupHistory;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.provider.BreakingProvider;
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
import io.sandboxbroker.broker.db.DynamoAttemptMetrics;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoClients;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.broker.health.StorageProbe;
import io.sandboxbroker.broker.metrics.DropwizardAllocationMetrics;
import io.sandboxbroker.broker.metrics.PoolGauges;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.provider.NiosxaasClient;
import io.sandboxbroker.broker.resources.AuthFeature;
import com.google.inject.Injector;
import com.google.inject.name.Named;
import io.sandboxbroker.broker.config.JobsConfig;
import io.sandboxbroker.broker.jobs.JobQueue;
import io.sandboxbroker.broker.jobs.JobsOverview;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.guice.GuiceJobFactory;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.time.Clock;
import java.util.UUID;
import org.quartz.SchedulerException;
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
        bind(CleanupService.class).in(Singleton.class);
        bind(ExpiryService.class).in(Singleton.class);
        bind(StaleSweepService.class).in(Singleton.class);
        bind(ReconcileService.class).in(Singleton.class);
        bind(JobRunLog.class).in(Singleton.class);
        bind(CleanupReport.class).in(Singleton.class);
        StopSignal stopping = new StopSignal();
        bind(StopSignal.class).toInstance(stopping);
        bind(Pause.class).toInstance(stopping);
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
        DynamoDbClient dynamo = DynamoClients.build(config.dynamodb(), new DynamoAttemptMetrics(metrics), counter);
        if (config.dynamodb().createTables()) {
            // Local runs and tests; in AWS, Terraform owns the tables.
            PoolTable.createIfMissing(dynamo, config.dynamodb().tableName());
            QuartzTable.createIfMissing(dynamo, config.dynamodb().quartzTableName());
        }
        return dynamo;
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

    /** The CSP behind a circuit breaker on deletes, timed by the application clock. */
    @Provides
    @Singleton
    SandboxProvider provider() {
        BreakerConfig breaker = config.cleanup().breaker();
        CircuitBreaker circuit = CircuitBreaker.of("provider-delete", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.windowSize())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRatePercent())
                .waitDurationInOpenState(breaker.openFor().toJavaDuration())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                .clock(clock)
                .build());
        return new BreakingProvider(new CspClient(config.csp(), json), circuit);
    }

    @Provides
    @Singleton
    CleanupPolicy cleanupPolicy() {
        CleanupConfig cleanup = config.cleanup();
        return new CleanupPolicy(cleanup.batchSize(), cleanup.batchDelay().toJavaDuration(),
                cleanup.sandboxDelay().toJavaDuration(), cleanup.maxAttempts(), cleanup.backoffBase().toJavaDuration(),
                cleanup.backoffMax().toJavaDuration(), cleanup.historyRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    LifecyclePolicy lifecyclePolicy() {
        LifecycleConfig lifecycle = config.lifecycle();
        return new LifecyclePolicy(lifecycle.staleGrace().toJavaDuration(), lifecycle.claimMinAge().toJavaDuration(),
                lifecycle.claimLookback().toJavaDuration(), lifecycle.statsMaxAge().toJavaDuration());
    }

    @Provides
    @Singleton
    CleanupHistory cleanupHistory(DynamoDbClient dynamo) {
        return new DynamoCleanupHistory(dynamo, config.dynamodb().tableName(),
                config.cleanup().historyRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    JobRuns jobRuns(DynamoDbClient dynamo) {
        return new DynamoJobRuns(dynamo, config.dynamodb().tableName(),
                config.lifecycle().jobRunRetention().toJavaDuration());
    }

    @Provides
    @Singleton
    PoolStatsStore poolStatsStore(DynamoDbClient dynamo) {
        return new DynamoPoolStatsStore(dynamo, config.dynamodb().tableName());
    }

    /** Run records name the process by its cluster instance id. */
    @Provides
    @Singleton
    JobRunLog.Node node(@Named("instanceId") String instanceId) {
        return new JobRunLog.Node(instanceId);
    }

    @Provides
    @Singleton
    SandboxCleaner cleaner() {
        return new NiosxaasClient(config.niosxaas(), json);
    }

    @Provides
    @Singleton
    @Named("instanceId")
    String instanceId() {
        String configured = config.jobs().instanceId();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The scheduler builds jobs through this injector, so jobs get their services like anything else. */
    @Provides
    @Singleton
    ClusteredScheduler scheduler(DynamoDbClient dynamo, Injector injector, @Named("instanceId") String instanceId)
            throws SchedulerException {
        JobsConfig jobs = config.jobs();
        DynamoJobStoreConfig store = DynamoJobStoreConfig.defaults(config.dynamodb().quartzTableName())
                .withCheckinInterval(jobs.checkinInterval().toJavaDuration())
                .withIdleWaitTime(jobs.idleWait().toJavaDuration())
                .withMisfireThreshold(jobs.misfireThreshold().toJavaDuration());
        // Quartz names schedulers JVM-wide; tests run several applications in one JVM.
        return ClusteredSchedulerFactory.create(dynamo, store, "sandbox-broker-" + instanceId, instanceId,
                jobs.threads(), new GuiceJobFactory(injector));
    }

    @Provides
    @Singleton
    JobQueue jobQueue(ClusteredScheduler scheduler, JobRunLog runs) {
        return new JobQueue(scheduler.scheduler(), runs);
    }

    @Provides
    @Singleton
    JobsOverview jobsOverview(ClusteredScheduler scheduler, JobRunLog runs) {
        return new JobsOverview(scheduler.scheduler(), scheduler.store(), runs);
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
