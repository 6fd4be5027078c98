package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end through real processes: learners allocate and release sandboxes through the API; two
 * jobs processes clean up; the one cleaning is killed with SIGKILL in the middle of its run. The
 * survivor finishes: every sandbox ends deleted, with exactly one successful delete at the provider.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CleanupFailoverIT {
    private static final String TABLE = TestDynamo.uniqueTable("failover");
    private static final int SANDBOXES = 10;
    private static final FakeProvider PROVIDER = FakeProvider.start();
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.withProvider(TABLE, PROVIDER);
    private static final List<BrokerProcess> PROCESSES = new ArrayList<>();

    @AfterAll
    static void stopAll() throws InterruptedException {
        for (BrokerProcess process : PROCESSES) {
            process.close();
        }
        PROVIDER.close();
    }

    private static BrokerProcess startJobsProcess(String instanceId) {
        BrokerProcess process = BrokerProcess.jobs(TABLE, PROVIDER, instanceId, Map.of(
                "JOBS_IDLE_WAIT_MS", "300",
                "CLEANUP_EVERY_SECONDS", "2",
                "CLEANUP_BATCH_SIZE", "5",
                "CLEANUP_BATCH_DELAY_SECONDS", "1",
                "CLEANUP_SANDBOX_DELAY_SECONDS", "1"));
        PROCESSES.add(process);
        return process;
    }

    @Test
    void killNineOfTheCleaningNode_survivorFinishes_eachSandboxDeletedOnceAtTheProvider() throws InterruptedException {
        PROVIDER.addSandboxes("failover", SANDBOXES);
        PROVIDER.deleteLatency(Duration.ofMillis(300));
        BrokerProcess one = startJobsProcess("cleaner-one");
        BrokerProcess two = startJobsProcess("cleaner-two");
        Pool pool = Pool.of(TABLE);
        await().atMost(Duration.ofSeconds(90)).until(() -> pool.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);

        LabClient lab = LabClient.at(API.getLocalPort());
        for (int i = 0; i < SANDBOXES; i++) {
            LabClient learner = lab.lab("failover-learner-" + i);
            Reply allocated = learner.post("/v1/allocate");
            assertThat(allocated.status()).isEqualTo(201);
            assertThat(learner.post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion").text("status"))
                    .isEqualTo("pending_deletion");
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> deletedBy(one) + deletedBy(two) > 0);
        BrokerProcess victim = deletedBy(one) > 0 ? one : two;
        BrokerProcess survivor = victim == one ? two : one;
        victim.kill();
        assertThat(pool.all(SandboxStatus.DELETED).size()).isLessThan(SANDBOXES);

        await().atMost(Duration.ofSeconds(120)).until(() -> pool.all(SandboxStatus.DELETED).size() == SANDBOXES);
        assertThat(deletedBy(survivor)).isPositive();
        for (Sandbox sandbox : pool.all(SandboxStatus.DELETED)) {
            String uuid = sandbox.externalId().substring(sandbox.externalId().lastIndexOf('/') + 1);
            assertThat(PROVIDER.successfulDeletes(uuid)).as(sandbox.name()).isEqualTo(1);
        }
        assertThat(PROVIDER.activeSandboxes()).noneMatch(a -> a.name().startsWith("failover-"));

        JsonNode jobs = lab.admin().get("/v1/admin/jobs").body();
        JsonNode cleanup = null;
        for (JsonNode job : jobs.path("jobs")) {
            if (job.path("name").asText().equals("cleanup")) {
                cleanup = job;
            }
        }
        assertThat(cleanup).isNotNull();
        long deletedInRuns = 0;
        for (JsonNode run : cleanup.path("last_runs")) {
            deletedInRuns += run.path("counts").path("deleted").asLong();
        }
        assertThat(deletedInRuns).isPositive();
    }

    private static long deletedBy(BrokerProcess process) {
        return process.lines().stream().filter(l -> l.contains("action=cleanup") && l.contains("outcome=deleted")).count();
    }
}
