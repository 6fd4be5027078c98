package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.CleanupOutcome;
import io.sandboxbroker.broker.core.CleanupPolicy;
import io.sandboxbroker.broker.core.CleanupRecord;
import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.Delivery;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.Fence;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.provider.BreakingProvider;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.Call;
import io.sandboxbroker.testkit.provider.ProviderPaths;
import io.sandboxbroker.testkit.provider.RequestMatch;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The cleanup against the fake provider over HTTP (CSP and NIOSXaaS) and dynalite, on a test clock. */
class CleanupServiceIT extends LifecycleTest {
    private static final Pause NO_PAUSE = duration -> {};

    @Test
    void cleanup_pacesDeletes_gapsAtLeastTheSandboxAndBatchDelays() {
        List<Sandbox> pending =
                life.seed("lab-pace", 5).stream().map(life::pending).toList();
        CleanupPolicy paced = new CleanupPolicy(
                2,
                Duration.ofMillis(400),
                Duration.ofMillis(150),
                5,
                Duration.ofSeconds(30),
                Duration.ofMinutes(4),
                Duration.ofDays(30));
        fake.clearCalls();

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(false, false), paced, Pause.sleeping())
                .run();

        assertThat(result.deleted()).isEqualTo(5);
        List<Call> deletes = fake.calls().stream()
                .filter(c -> c.method().equals("DELETE"))
                .sorted(Comparator.comparing(Call::receivedAt))
                .toList();
        assertThat(deletes).hasSize(5);
        for (int i = 1; i < deletes.size(); i++) {
            Duration gap = Duration.between(
                    deletes.get(i - 1).answeredAt(), deletes.get(i).receivedAt());
            assertThat(gap).as("gap before delete %d", i).isGreaterThanOrEqualTo(paced.pauseBefore(i));
        }
        assertThat(pending)
                .allSatisfy(s -> assertThat(life.find(s.id()).status()).isEqualTo(SandboxStatus.DELETED));
    }

    @Test
    void cleanup_burstOf500s_breakerOpens_restUntouched_laterAllDeletedOnce_noneFailed() {
        List<Sandbox> pending =
                life.seed("lab-burst", 8).stream().map(life::pending).toList();
        BreakingProvider provider = life.breaking(3);
        CleanupService cleanup = life.cleanup(provider, life.niosxaas(false, false), Lifecycle.policy(5), NO_PAUSE);
        fake.failNextWithHtml(RequestMatch.sandboxDeletes(), 3);

        CleanupService.Result burst = cleanup.run();

        assertThat(burst.retried()).isEqualTo(3);
        assertThat(burst.skippedOpenCircuit()).isEqualTo(5);
        assertThat(burst.failed()).isZero();
        assertThat(provider.acceptsDeletes()).isFalse();
        List<Sandbox> untouched = pending.stream()
                .filter(s -> life.find(s.id()).deletionRetryCount() == 0)
                .toList();
        assertThat(untouched)
                .hasSize(5)
                .allSatisfy(s -> assertThat(life.find(s.id())).isEqualTo(s));

        long deletesBefore =
                fake.calls().stream().filter(c -> c.method().equals("DELETE")).count();
        CleanupService.Result whileOpen = cleanup.run();
        assertThat(whileOpen.skippedOpenCircuit()).isEqualTo(5);
        assertThat(fake.calls().stream()
                        .filter(c -> c.method().equals("DELETE"))
                        .count())
                .isEqualTo(deletesBefore);

        life.clock.advance(Duration.ofMinutes(2));
        CleanupService.Result recovered = cleanup.run();

        assertThat(recovered.deleted()).isEqualTo(8);
        assertThat(life.pool.all(SandboxStatus.DELETION_FAILED)).isEmpty();
        assertThat(pending).allSatisfy(s -> {
            assertThat(life.find(s.id()).status()).isEqualTo(SandboxStatus.DELETED);
            assertThat(fake.successfulDeletes(Lifecycle.uuid(s))).isEqualTo(1);
        });
    }

    @Test
    void cleanup_alwaysFailing_backsOff_deletionFailedAfterMaxAttempts_thenRetryByOperatorDeletes() {
        Sandbox sandbox = life.pending(life.seed("lab-stuck", 1).get(0));
        String uuid = Lifecycle.uuid(sandbox);
        fake.failAlways(uuid, 500);
        CleanupService cleanup =
                life.cleanup(life.breaking(100), life.niosxaas(false, false), Lifecycle.policy(3), NO_PAUSE);

        assertThat(cleanup.run().retried()).isEqualTo(1);
        Sandbox first = life.find(sandbox.id());
        assertThat(first.deletionRetryCount()).isEqualTo(1);
        assertThat(first.nextAttemptAt()).isEqualTo(life.now().plusSeconds(30));
        assertThat(cleanup.run().due()).as("not due during its backoff").isZero();

        life.clock.advance(Duration.ofSeconds(30));
        assertThat(cleanup.run().retried()).isEqualTo(1);
        assertThat(life.find(sandbox.id()).nextAttemptAt()).isEqualTo(life.now().plusSeconds(60));
        life.clock.advance(Duration.ofSeconds(60));
        CleanupService.Result last = cleanup.run();

        assertThat(last.failed()).isEqualTo(1);
        Sandbox failed = life.find(sandbox.id());
        assertThat(failed.status()).isEqualTo(SandboxStatus.DELETION_FAILED);
        assertThat(failed.deletionFailure()).startsWith("gave up after 3 attempts");
        assertThat(life.history.of(sandbox.id()))
                .first()
                .extracting(CleanupRecord::outcome)
                .isEqualTo(CleanupRecord.Outcome.DELETION_FAILED);

        fake.stopFailing(uuid);
        PoolService pool = new PoolService(
                life.sandboxes,
                new DynamoPoolStatsStore(TestDynamo.client(), life.table),
                life.retired,
                LifecyclePolicy.defaults(),
                life.clock);
        Sandbox retried = pool.retryDeletion(sandbox.id());
        assertThat(retried.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(retried.deletionRetryCount()).isZero();

        assertThat(cleanup.run().deleted()).isEqualTo(1);
        assertThat(life.find(sandbox.id()).status()).isEqualTo(SandboxStatus.DELETED);
    }

    @Test
    void cleanup_fenceLost_stopsBeforeTheNextProviderCall_restStaysPending() {
        List<Sandbox> pending =
                life.seed("lab-fenced", 3).stream().map(life::pending).toList();
        AtomicInteger asked = new AtomicInteger();
        // Holds for the first sandbox only, as if another node took the run over while it was deleted.
        Fence lostAfterOne = () -> asked.incrementAndGet() == 1;

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(false, false), Lifecycle.policy(5), NO_PAUSE)
                .run(lostAfterOne);

        assertThat(result.deleted()).isEqualTo(1);
        assertThat(result.interrupted()).isTrue();
        assertThat(pending)
                .extracting(sandbox -> life.find(sandbox.id()).status())
                .containsExactlyInAnyOrder(
                        SandboxStatus.DELETED, SandboxStatus.PENDING_DELETION, SandboxStatus.PENDING_DELETION);
        long providerDeletes = pending.stream()
                .mapToLong(sandbox -> fake.calls(Lifecycle.uuid(sandbox)).stream()
                        .filter(call -> call.method().equals("DELETE"))
                        .count())
                .sum();
        assertThat(providerDeletes)
                .as("no provider call after the fence was lost")
                .isEqualTo(1);
    }

    @Test
    void cleanup_providerRefuses_deletionFailedAtOnceWithTheReason() {
        Sandbox sandbox = life.pending(life.seed("lab-refused", 1).get(0));
        fake.failAlways(Lifecycle.uuid(sandbox), 400);

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(false, false), Lifecycle.policy(5), NO_PAUSE)
                .run();

        assertThat(result.failed()).isEqualTo(1);
        Sandbox failed = life.find(sandbox.id());
        assertThat(failed.status()).isEqualTo(SandboxStatus.DELETION_FAILED);
        assertThat(failed.deletionFailure()).contains("400");
        List<Delivery> announced = life.outbox.due(life.clock.instant().plusSeconds(60), 10);
        assertThat(announced).singleElement().satisfies(delivery -> {
            assertThat(delivery.event().type()).isEqualTo(EventType.SANDBOX_DELETION_FAILED);
            assertThat(delivery.event().details())
                    .containsEntry("sandbox_id", sandbox.id().value())
                    .containsEntry("attempts", 1L);
            assertThat(delivery.webhook()).isEqualTo("ops");
        });
    }

    @Test
    void cleanup_niosxaasFails_deleteStillHappens_andHistoryKeepsBoth() {
        Sandbox sandbox = life.pending(life.seed("lab-nios", 1).get(0));
        fake.addService(Lifecycle.uuid(sandbox), "Instrqt-SaaS");
        fake.failNext(RequestMatch.anyMethod(ProviderPaths.ACCOUNT_SWITCH), 5);

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(true, false), Lifecycle.policy(5), NO_PAUSE)
                .run();

        assertThat(result.deleted()).isEqualTo(1);
        assertThat(result.niosxaas(CleanupOutcome.Kind.FAILED)).isEqualTo(1);
        Sandbox deleted = life.find(sandbox.id());
        assertThat(deleted.status()).isEqualTo(SandboxStatus.DELETED);
        Map<String, AttributeValue> item = TestDynamo.client()
                .getItem(b -> b.tableName(life.table)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS("SANDBOX#" + sandbox.id()),
                                "sk",
                                AttributeValue.fromS("SANDBOX"))))
                .item();
        assertThat(Long.parseLong(item.get("ttl").n()))
                .isEqualTo(life.now().plus(Duration.ofDays(30)).getEpochSecond());
        List<CleanupRecord> history = life.history.of(sandbox.id());
        assertThat(history).hasSize(1);
        assertThat(history.get(0).outcome()).isEqualTo(CleanupRecord.Outcome.DELETED);
        assertThat(history.get(0).niosxaas().kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
        assertThat(history.get(0).attempts()).isEqualTo(1);
    }

    @Test
    void cleanup_niosxaasShadowMode_deletesNoServiceButDeletesTheSandbox() {
        Sandbox sandbox = life.pending(life.seed("lab-shadow", 1).get(0));
        String uuid = Lifecycle.uuid(sandbox);
        fake.addService(uuid, "Instrqt-SaaS");

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(true, true), Lifecycle.policy(5), NO_PAUSE)
                .run();

        assertThat(result.niosxaas(CleanupOutcome.Kind.SHADOW)).isEqualTo(1);
        assertThat(result.deleted()).isEqualTo(1);
        assertThat(fake.calls())
                .noneMatch(c -> c.method().equals("DELETE") && c.path().startsWith(ProviderPaths.UNIVERSAL_SERVICES));
        assertThat(life.history.of(sandbox.id()).get(0).niosxaas()).isEqualTo(CleanupOutcome.shadow(1));
    }
}
