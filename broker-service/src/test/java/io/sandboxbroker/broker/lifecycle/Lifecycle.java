package io.sandboxbroker.broker.lifecycle;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.config.NiosxaasConfig;
import io.sandboxbroker.broker.core.AllocationMetrics;
import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.CleanupPolicy;
import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.EventService;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.core.UsageRecorder;
import io.sandboxbroker.broker.core.Webhook;
import io.sandboxbroker.broker.core.Webhooks;
import io.sandboxbroker.broker.db.DynamoAnnouncedStates;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoCleanupHistory;
import io.sandboxbroker.broker.db.DynamoRetiredTenants;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.db.DynamoUsageStore;
import io.sandboxbroker.broker.db.DynamoWebhookOutbox;
import io.sandboxbroker.broker.provider.BreakingProvider;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.provider.HttpWebhookSender;
import io.sandboxbroker.broker.provider.NiosxaasClient;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.Account;
import io.sandboxbroker.testkit.provider.FakeProvider;
import io.sandboxbroker.testkit.provider.FakeProviderConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lifecycle services wired by hand to a fresh table on the shared dynalite, the fake provider
 * over HTTP and a clock the test moves.
 */
final class Lifecycle {
    static final String EMAIL = FakeProviderConfig.DEFAULT_NIOSXAAS_EMAIL;
    static final String PASSWORD = FakeProviderConfig.DEFAULT_NIOSXAAS_PASSWORD;

    final FakeProvider fake;
    final String table = TestDynamo.uniqueTable("life");
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Pool pool = Pool.of(table);
    final DynamoSandboxRepository sandboxes = pool.repository();
    final DynamoRetiredTenants retired = pool.retired();
    final DynamoClaimStore claims = new DynamoClaimStore(TestDynamo.client(), table, java.time.Duration.ofDays(14));
    final DynamoWebhookOutbox outbox = new DynamoWebhookOutbox(TestDynamo.client(), table);
    /** Publishes sandbox.deletion_failed to one webhook, "ops"; nothing is sent unless a test delivers. */
    final EventService events = new EventService(
            outbox,
            new HttpWebhookSender(Jackson.newObjectMapper()),
            new DynamoAnnouncedStates(TestDynamo.client(), table),
            new Webhooks(List.of(new Webhook(
                    "ops",
                    "http://127.0.0.1:9/unused",
                    "lifecycle-test-secret",
                    Set.of(EventType.SANDBOX_DELETION_FAILED)))),
            clock);

    final DynamoCleanupHistory history =
            new DynamoCleanupHistory(TestDynamo.client(), table, java.time.Duration.ofDays(30));

    Lifecycle(FakeProvider fake) {
        this.fake = fake;
    }

    CspClient csp() {
        return new CspClient(
                new CspConfig(
                        fake.cspBaseUri().toString(),
                        FakeProviderConfig.DEFAULT_CSP_TOKEN,
                        Duration.seconds(2),
                        Duration.seconds(5)),
                Jackson.newObjectMapper());
    }

    NiosxaasClient niosxaas(boolean enabled, boolean shadow) {
        return new NiosxaasClient(
                new NiosxaasConfig(
                        enabled,
                        shadow,
                        fake.baseUri().toString(),
                        EMAIL,
                        PASSWORD,
                        null,
                        Duration.seconds(2),
                        Duration.seconds(5)),
                Jackson.newObjectMapper());
    }

    /** A breaker that opens after {@code minimumCalls} deletes of which half failed, for a minute of the test clock. */
    BreakingProvider breaking(int minimumCalls) {
        return new BreakingProvider(
                csp(),
                CircuitBreaker.of(
                        "test",
                        CircuitBreakerConfig.custom()
                                .slidingWindowSize(minimumCalls)
                                .minimumNumberOfCalls(minimumCalls)
                                .failureRateThreshold(50)
                                .waitDurationInOpenState(java.time.Duration.ofMinutes(1))
                                .permittedNumberOfCallsInHalfOpenState(2)
                                .clock(clock)
                                .build()));
    }

    SyncService sync() {
        return new SyncService(csp(), sandboxes, retired, clock);
    }

    /** Allocation on this lifecycle's table, clock and usage counts, with default policy and no metrics. */
    AllocationService allocations() {
        return new AllocationService(
                sandboxes, claims, AllocationPolicy.defaults(), clock, AllocationMetrics.NONE, () -> 0, usage());
    }

    /** Counts allocations and releases into this lifecycle's table, as the services in the app do. */
    UsageRecorder usage() {
        return new UsageRecorder(new DynamoUsageStore(TestDynamo.client(), table));
    }

    CleanupService cleanup(BreakingProvider provider, NiosxaasClient cleaner, CleanupPolicy policy, Pause pause) {
        return new CleanupService(sandboxes, provider, cleaner, history, policy, pause, clock, events);
    }

    static CleanupPolicy policy(int maxAttempts) {
        return new CleanupPolicy(
                10,
                java.time.Duration.ZERO,
                java.time.Duration.ZERO,
                maxAttempts,
                java.time.Duration.ofSeconds(30),
                java.time.Duration.ofMinutes(4),
                java.time.Duration.ofDays(30));
    }

    /** Lists {@code count} fresh sandboxes at the fake provider and syncs them into the table. */
    List<Sandbox> seed(String group, int count) {
        List<Account> accounts = fake.addSandboxes(group, count);
        sync().sync();
        return accounts.stream().map(a -> sandbox(a)).collect(Collectors.toList());
    }

    Sandbox sandbox(Account account) {
        return find(new SandboxId(Long.toString(account.cspId())));
    }

    Sandbox find(SandboxId id) {
        return sandboxes.find(id).orElseThrow();
    }

    Instant now() {
        return clock.instant();
    }

    /** available → allocated to {@code learner} until {@code expiresAt}, as allocation would do it. */
    Sandbox allocate(Sandbox sandbox, String learner, Instant expiresAt) {
        LearnerId id = new LearnerId(learner);
        claims.create(new LearnerClaim(id, sandbox.id(), learner, now()));
        return sandboxes
                .claim(
                        sandbox.id(),
                        new LearnerClaim(id, sandbox.id(), learner, now()),
                        null,
                        now(),
                        expiresAt,
                        "test-write")
                .orElseThrow();
    }

    /** available → allocated → pending_deletion, as a lab's mark-for-deletion would do it. */
    Sandbox pending(Sandbox sandbox) {
        Sandbox allocated = allocate(sandbox, "learner-" + sandbox.id(), now().plus(2, ChronoUnit.DAYS));
        return sandboxes.markForDeletion(allocated, now()).orElseThrow();
    }

    static String uuid(Sandbox sandbox) {
        return sandbox.externalId().substring("identity/accounts/".length());
    }
}
