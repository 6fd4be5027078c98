package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.SandboxStatus;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A clean-up enqueued through the API while another clean-up runs (the job disallows concurrent
 * runs) is executed once, after the running one, not dropped and not twice; the pool table
 * misbehaves meanwhile (writes applied then answered 500, lagging indexes).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EnqueueWhileRunningIT {
    private static final String TABLE = TestDynamo.uniqueTable("enqueue");
    private static final int SANDBOXES = 6;
    private static final FakeProvider PROVIDER = FakeProvider.start();
    private static final FaultProxy PROXY = FaultProxy.start(
            TestDynamo.dynalite().endpoint(),
            7L,
            Fault.appliedThen500().table(TABLE).probability(0.15),
            Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(2)).table(TABLE));
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.extension(
            Clock.systemUTC(),
            TABLE,
            () -> PROXY.endpoint().toString(),
            ConfigOverride.config("csp.baseUrl", () -> PROVIDER.cspBaseUri().toString()),
            ConfigOverride.config("csp.token", () -> PROVIDER.config().cspToken()));
    private static BrokerProcess jobs;

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (jobs != null) {
            jobs.close();
        }
        PROXY.close();
        PROVIDER.close();
    }

    @Test
    void cleanupEnqueuedWhileOneRuns_runsOnceRightAfterIt() {
        PROVIDER.addSandboxes("enqueue", SANDBOXES);
        // Only enqueued runs matter here: the schedule fires once at start, then not for an hour.
        jobs = BrokerProcess.jobs(
                TABLE,
                PROVIDER,
                "enqueue-jobs",
                Map.of(
                        "DDB_ENDPOINT", PROXY.endpoint().toString(),
                        "JOBS_IDLE_WAIT_MS", "300",
                        "CLEANUP_EVERY_SECONDS", "3600",
                        "CLEANUP_BATCH_SIZE", "10",
                        "CLEANUP_SANDBOX_DELAY_SECONDS", "1"));
        Pool pool = Pool.of(TABLE);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);
        // As the API sees it, through the lagging index: until then the pool may look empty (a 409 scripts retry
        // later).
        Pool lagging = new Pool(proxyClient(), TABLE);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> lagging.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);
        LabClient lab = LabClient.at(API.getLocalPort());
        for (int i = 0; i < SANDBOXES; i++) {
            LabClient learner = lab.lab("enqueue-learner-" + i);
            Reply allocated = retried(() -> learner.post("/v1/allocate"));
            assertThat(retried(() -> learner.post(
                                    "/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion"))
                            .status())
                    .isEqualTo(200);
        }

        // The first run must see the releases (through the lagging index) to have work that outlasts the second
        // enqueue.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> lagging.all(SandboxStatus.PENDING_DELETION).size() == SANDBOXES);
        String running = retried(() -> lab.admin().post("/v1/admin/cleanup")).text("run_id");
        jobs.awaitLine(
                line -> line.contains("action=cleanup outcome=started run_id=" + running), Duration.ofSeconds(60));
        String queued = retried(() -> lab.admin().post("/v1/admin/cleanup")).text("run_id");
        assertThat(jobs.lines())
                .as("the first run is still running when the second is enqueued")
                .noneMatch(line -> line.contains("outcome=completed run_id=" + running));

        await().atMost(Duration.ofSeconds(90)).until(() -> runs(queued).size() == 1);
        System.out.println("EnqueueWhileRunningIT " + PROXY);
        JobRun first = runs(running).get(0);
        JobRun second = runs(queued).get(0);
        assertThat(first.counts().get("deleted") + second.counts().get("deleted"))
                .isEqualTo(SANDBOXES);
        assertThat(second.startedAt())
                .as("the queued run starts after the running one ended")
                .isAfterOrEqualTo(first.finishedAt());
        assertThat(jobs.lines())
                .filteredOn(line -> line.contains("outcome=started run_id=" + queued))
                .hasSize(1);
        assertThat(pool.all(SandboxStatus.DELETED)).hasSize(SANDBOXES);
    }

    private static DynamoDbClient proxyClient() {
        return DynamoDbClient.builder()
                .endpointOverride(PROXY.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private static List<JobRun> runs(String runId) {
        return new DynamoJobRuns(TestDynamo.client(), TABLE, Duration.ofDays(1))
                .recent("cleanup", 100).stream()
                        .filter(run -> run.runId().equals(runId))
                        .toList();
    }

    private static Reply retried(java.util.function.Supplier<Reply> call) {
        Reply reply = call.get();
        for (int attempt = 1; attempt < 8 && reply.status() == 503; attempt++) {
            reply = call.get();
        }
        assertThat(reply.status()).as(reply.body().toString()).isLessThan(300);
        return reply;
    }
}
