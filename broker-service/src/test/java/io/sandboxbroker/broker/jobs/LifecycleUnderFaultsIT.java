package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.CleanupRecord;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoCleanupHistory;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sandbox lifecycle end to end while the pool table misbehaves as DynamoDB can: learners
 * allocate and release through the API while two jobs processes sync and clean up, all through the
 * fault proxy (writes applied then answered 500 or reset, lagging indexes, throttling bursts on the
 * pool table). Every released sandbox is deleted exactly once at the provider, has exactly one
 * history record, and every finished run is recorded.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LifecycleUnderFaultsIT {
    private static final String TABLE = TestDynamo.uniqueTable("lifefaults");
    private static final int SANDBOXES = 16;
    private static final Pattern FINISHED_RUN =
            Pattern.compile("action=cleanup outcome=(?:completed|interrupted|failed) run_id=(\\S+)");
    private static final FakeProvider PROVIDER = FakeProvider.start();
    private static final FaultProxy PROXY = FaultProxy.start(
            TestDynamo.dynalite().endpoint(),
            29L,
            Fault.appliedThen500().table(TABLE).probability(0.10),
            Fault.appliedThenReset().table(TABLE).probability(0.03),
            Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(3)).table(TABLE),
            Fault.provisionedThroughputExceeded().table(TABLE).probability(0.01).burst(3),
            Fault.throttling().table(TABLE).probability(0.01).burst(2));
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.extension(
            Clock.systemUTC(),
            TABLE,
            () -> PROXY.endpoint().toString(),
            ConfigOverride.config("csp.baseUrl", () -> PROVIDER.cspBaseUri().toString()),
            ConfigOverride.config("csp.token", () -> PROVIDER.config().cspToken()));
    private static final List<BrokerProcess> PROCESSES = new ArrayList<>();

    @AfterAll
    static void stopAll() throws InterruptedException {
        for (BrokerProcess process : PROCESSES) {
            process.close();
        }
        PROXY.close();
        PROVIDER.close();
    }

    private static BrokerProcess startJobsProcess(String instanceId) {
        BrokerProcess process = BrokerProcess.jobs(
                TABLE,
                PROVIDER,
                instanceId,
                Map.of(
                        "DDB_ENDPOINT", PROXY.endpoint().toString(),
                        "JOBS_IDLE_WAIT_MS", "300",
                        // A sync that a burst of faults outlasted the SDK's retries throws; the next one
                        // (seconds later here, minutes in production) adds or publishes what it left.
                        "SYNC_EVERY_SECONDS", "5",
                        "CLEANUP_EVERY_SECONDS", "2",
                        "CLEANUP_BATCH_SIZE", "4",
                        "CLEANUP_BATCH_DELAY_SECONDS", "0",
                        "CLEANUP_SANDBOX_DELAY_SECONDS", "0"));
        PROCESSES.add(process);
        return process;
    }

    @Test
    void learnersAllocateAndRelease_whileTwoJobsProcessesCleanUp_underFaults_eachDeletedOnceWithHistory() {
        PROVIDER.addSandboxes("lifefaults", SANDBOXES);
        PROVIDER.deleteLatency(Duration.ofMillis(100));
        BrokerProcess one = startJobsProcess("faulty-jobs-one");
        BrokerProcess two = startJobsProcess("faulty-jobs-two");
        Pool pool = Pool.of(TABLE);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);

        LabClient lab = LabClient.at(API.getLocalPort());
        for (int i = 0; i < SANDBOXES; i++) {
            LabClient learner = lab.lab("lifefaults-learner-" + i);
            // Until the lagging index shows the synced sandboxes the pool may look empty: a 409 the script retries.
            AtomicReference<Reply> answer = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        answer.set(untilDecided(() -> learner.post("/v1/allocate")));
                        return answer.get().status() != 409;
                    });
            Reply allocated = answer.get();
            assertThat(allocated.status()).isIn(200, 201);
            Reply marked = untilDecided(
                    () -> learner.post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion"));
            assertThat(marked.text("status")).isIn("pending_deletion", "deleted");
        }

        await().atMost(Duration.ofSeconds(120))
                .until(() -> pool.all(SandboxStatus.DELETED).size() == SANDBOXES);
        System.out.println("LifecycleUnderFaultsIT " + PROXY);
        DynamoCleanupHistory history = new DynamoCleanupHistory(TestDynamo.client(), TABLE, Duration.ofDays(30));
        for (Sandbox sandbox : pool.all(SandboxStatus.DELETED)) {
            String uuid = sandbox.externalId().substring(sandbox.externalId().lastIndexOf('/') + 1);
            assertThat(PROVIDER.calls(uuid))
                    .filteredOn(call -> call.method().equals("DELETE"))
                    .as("DELETE calls for " + sandbox.name())
                    .hasSize(1);
            assertThat(PROVIDER.successfulDeletes(uuid)).as(sandbox.name()).isEqualTo(1);
            // The record follows the state change (and, under faults, the SDK's backoffs): wait for it.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(history.of(sandbox.id()))
                            .extracting(CleanupRecord::outcome)
                            .as("history of " + sandbox.name())
                            .containsExactly(CleanupRecord.Outcome.DELETED));
        }
        Set<String> recorded = new DynamoJobRuns(TestDynamo.client(), TABLE, Duration.ofDays(1))
                .recent("cleanup", 1000).stream().map(JobRun::runId).collect(Collectors.toSet());
        List<String> finished = finishedCleanupRuns(one, two);
        assertThat(finished).isNotEmpty();
        assertThat(recorded).as("recorded cleanup runs").containsAll(finished);
        assertThat(PROXY.counts().entrySet().stream().filter(e -> !e.getKey().equals("requests")))
                .as("every fault was injected")
                .allMatch(e -> e.getValue() > 0);
    }

    private static List<String> finishedCleanupRuns(BrokerProcess... processes) {
        List<String> runIds = new ArrayList<>();
        for (BrokerProcess process : processes) {
            for (String line : process.lines()) {
                Matcher run = FINISHED_RUN.matcher(line);
                if (run.find()) {
                    runIds.add(run.group(1));
                }
            }
        }
        return runIds;
    }

    /** As a lab script: a 503 is retried. */
    private static Reply untilDecided(java.util.function.Supplier<Reply> call) {
        Reply reply = call.get();
        for (int attempt = 1; attempt < 8 && reply.status() == 503; attempt++) {
            reply = call.get();
        }
        return reply;
    }
}
