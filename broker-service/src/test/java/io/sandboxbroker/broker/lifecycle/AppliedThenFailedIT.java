package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.CleanupOutcome;
import io.sandboxbroker.broker.core.CleanupRecord;
import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.db.DynamoCleanupHistory;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.db.DynamoRetiredTenants;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import io.sandboxbroker.testkit.provider.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every write answered with a 500 after dynalite applied it (through the fault proxy), so the SDK
 * retries a write that already happened, as DynamoDB's SDK does after a timeout or a lost answer:
 * each conditional write must recognise its own earlier success instead of taking it for someone
 * else's change. The retry fails its condition, so only first attempts are answered 500.
 */
class AppliedThenFailedIT extends LifecycleTest {
    private static final String RULE = "applied_then_500";
    private FaultProxy proxy;
    private DynamoDbClient faulty;
    private DynamoSandboxRepository sandboxes;

    @BeforeEach
    void faultyClient() {
        proxy = FaultProxy.start(
                TestDynamo.dynalite().endpoint(),
                Fault.appliedThen500().table(life.table).named(RULE));
        faulty = DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        sandboxes = new DynamoSandboxRepository(faulty, life.table, 8);
    }

    @AfterEach
    void closeClient() {
        System.out.println("AppliedThenFailedIT " + proxy);
        faulty.close();
        proxy.close();
    }

    private long injected() {
        return proxy.injected(RULE);
    }

    @Test
    void cleanup_everyWriteRetriedAfterItWasApplied_deletesEachOnce_andRecordsItsHistory() {
        List<Sandbox> pending =
                life.seed("lab-atf", 4).stream().map(life::pending).toList();
        DynamoCleanupHistory history = new DynamoCleanupHistory(faulty, life.table, Duration.ofDays(30));
        CleanupService cleanup = new CleanupService(
                sandboxes,
                life.breaking(100),
                life.niosxaas(false, false),
                history,
                Lifecycle.policy(5),
                Pause.sleeping(),
                life.clock,
                life.events);
        long before = injected();

        CleanupService.Result result = cleanup.run();

        assertThat(injected() - before).as("injected faults").isGreaterThanOrEqualTo(8);
        assertThat(result.deleted()).isEqualTo(4);
        assertThat(result.skippedChanged()).isZero();
        for (Sandbox sandbox : pending) {
            assertThat(life.find(sandbox.id()).status()).isEqualTo(SandboxStatus.DELETED);
            assertThat(life.history.of(sandbox.id()))
                    .extracting(CleanupRecord::outcome)
                    .containsExactly(CleanupRecord.Outcome.DELETED);
            assertThat(fake.calls(Lifecycle.uuid(sandbox)))
                    .filteredOn(call -> call.method().equals("DELETE"))
                    .extracting(Call::method)
                    .hasSize(1);
        }
    }

    @Test
    void sync_addsRetriedAfterTheyWereApplied_countAsAdded() {
        fake.addSandboxes("lab-atf-sync", 3);

        SyncService.Result result =
                new SyncService(life.csp(), sandboxes, new DynamoRetiredTenants(faulty, life.table), life.clock).sync();

        assertThat(injected()).isGreaterThanOrEqualTo(3);
        assertThat(result.added()).isEqualTo(3);
    }

    @Test
    void everyVersionedChange_retriedAfterItWasApplied_answersTheChange() {
        List<Sandbox> seeded = life.seed("lab-atf-each", 3);
        Instant now = life.now();
        Sandbox allocated = life.allocate(seeded.get(0), "learner-atf", now.plus(Duration.ofHours(1)));

        Sandbox marked = sandboxes.markForDeletion(allocated, now).orElseThrow();
        Sandbox deferred = sandboxes
                .deferDeletion(marked, "busy", now.plusSeconds(30), now)
                .orElseThrow();
        Sandbox failed =
                sandboxes.markDeletionFailed(deferred, "gone wrong", now).orElseThrow();
        Sandbox retried = sandboxes.retryDeletion(failed, now).orElseThrow();
        Sandbox stale = sandboxes.markStale(seeded.get(1).id(), now).orElseThrow();
        Sandbox revived = sandboxes.revive(stale.id(), now).orElseThrow();
        Sandbox expiring = life.allocate(seeded.get(2), "learner-atf-2", now.minusSeconds(1));
        Sandbox expired = sandboxes.expire(expiring, now).orElseThrow();

        assertThat(injected()).isEqualTo(7);
        assertThat(List.of(marked, deferred, failed, retried, stale, revived, expired))
                .extracting(Sandbox::status)
                .containsExactly(
                        SandboxStatus.PENDING_DELETION,
                        SandboxStatus.PENDING_DELETION,
                        SandboxStatus.DELETION_FAILED,
                        SandboxStatus.PENDING_DELETION,
                        SandboxStatus.STALE,
                        SandboxStatus.AVAILABLE,
                        SandboxStatus.PENDING_DELETION);
        // A change that really was someone else's is still refused.
        assertThat(sandboxes.markDeletionFailed(deferred, "late", now)).isEmpty();
    }

    @Test
    void conditionalDeletes_retriedAfterTheyWereApplied_answerRemoved() {
        List<Sandbox> seeded = life.seed("lab-atf-del", 2);
        Instant now = life.now();
        Sandbox stale = life.sandboxes.markStale(seeded.get(0).id(), now).orElseThrow();
        life.sandboxes.markStale(seeded.get(1).id(), now).orElseThrow();
        LearnerClaim claim =
                new LearnerClaim(new LearnerId("atf-claim"), seeded.get(0).id(), "atf-claim", now);
        life.claims.create(claim);
        DynamoClaimStore claims = new DynamoClaimStore(faulty, life.table, Duration.ofDays(14));

        assertThat(sandboxes.removeStale(stale)).isTrue();
        assertThat(sandboxes.deleteIfStatus(seeded.get(1).id(), SandboxStatus.STALE))
                .isTrue();
        assertThat(claims.removeIfUnchanged(claim)).isTrue();

        // Each of the three deletes failed once after it was applied (the history puts around the
        // sandbox deletes were failed once too).
        assertThat(injected()).isGreaterThanOrEqualTo(3);
        assertThat(sandboxes.find(seeded.get(0).id())).isEmpty();
        assertThat(sandboxes.find(seeded.get(1).id())).isEmpty();
        assertThat(claims.find(claim.learner())).isEmpty();
    }

    @Test
    void jobRunAndHistoryPuts_retriedAfterTheyWereApplied_areStoredOnce() {
        Sandbox sandbox = life.seed("lab-atf-rec", 1).get(0);
        DynamoJobRuns runs = new DynamoJobRuns(faulty, life.table, Duration.ofDays(7));
        DynamoCleanupHistory history = new DynamoCleanupHistory(faulty, life.table, Duration.ofDays(30));
        Instant now = life.now();

        runs.record(new JobRun("cleanup", "node-a", "run-1", now, now.plusSeconds(1), "completed", Map.of("due", 1L)));
        history.record(new CleanupRecord(
                sandbox.id(),
                sandbox.name(),
                sandbox.externalId(),
                CleanupRecord.Outcome.DELETED,
                "gone",
                1,
                CleanupOutcome.disabled(),
                now));

        assertThat(injected()).isEqualTo(2);
        assertThat(runs.recent("cleanup", 10)).extracting(JobRun::runId).containsExactly("run-1");
        assertThat(history.of(sandbox.id())).hasSize(1);
    }
}
