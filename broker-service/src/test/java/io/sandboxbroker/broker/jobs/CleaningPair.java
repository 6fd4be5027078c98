package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Duration;
import java.util.Map;

/**
 * Two real jobs processes cleaning one pool that learners filled and released through the API, so
 * that a test can take the one that is cleaning away (SIGTERM, SIGKILL) and watch the other finish.
 */
final class CleaningPair implements AutoCloseable {
    static final int SANDBOXES = 10;

    final BrokerProcess one;
    final BrokerProcess two;
    final Pool pool;
    final LabClient lab;
    private final FakeProvider provider;

    private CleaningPair(BrokerProcess one, BrokerProcess two, Pool pool, LabClient lab, FakeProvider provider) {
        this.one = one;
        this.two = two;
        this.pool = pool;
        this.lab = lab;
        this.provider = provider;
    }

    /** Nodes {@code <name>-one} and {@code <name>-two}; every sandbox of group {@code name} allocated and released. */
    static CleaningPair releasedThroughTheApi(String table, FakeProvider provider, int apiPort, String name) {
        provider.addSandboxes(name, SANDBOXES);
        provider.deleteLatency(Duration.ofMillis(300));
        BrokerProcess one = jobsProcess(table, provider, name + "-one");
        BrokerProcess two = jobsProcess(table, provider, name + "-two");
        Pool pool = Pool.of(table);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);
        LabClient lab = LabClient.at(apiPort);
        for (int i = 0; i < SANDBOXES; i++) {
            LabClient learner = lab.lab(name + "-learner-" + i);
            Reply allocated = learner.post("/v1/allocate");
            assertThat(allocated.status()).isEqualTo(201);
            assertThat(learner.post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion")
                            .text("status"))
                    .isEqualTo("pending_deletion");
        }
        return new CleaningPair(one, two, pool, lab, provider);
    }

    private static BrokerProcess jobsProcess(String table, FakeProvider provider, String instanceId) {
        return BrokerProcess.jobs(
                table,
                provider,
                instanceId,
                Map.of(
                        "JOBS_IDLE_WAIT_MS", "300",
                        // Long enough that only a hand-over, not the next scheduled run, lets the survivor finish in
                        // time.
                        "CLEANUP_EVERY_SECONDS", "2",
                        "CLEANUP_BATCH_SIZE", "5",
                        "CLEANUP_BATCH_DELAY_SECONDS", "1",
                        "CLEANUP_SANDBOX_DELAY_SECONDS", "1"));
    }

    /** The node that has deleted a sandbox already: the one in the middle of a clean-up run. */
    BrokerProcess cleaning() {
        await().atMost(Duration.ofSeconds(60)).until(() -> deletedBy(one) + deletedBy(two) > 0);
        return deletedBy(one) > 0 ? one : two;
    }

    BrokerProcess other(BrokerProcess process) {
        return process == one ? two : one;
    }

    /** Every sandbox ends deleted, each with exactly one successful delete at the provider. */
    void awaitEachDeletedOnceAtTheProvider() {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> pool.all(SandboxStatus.DELETED).size() == SANDBOXES);
        for (Sandbox sandbox : pool.all(SandboxStatus.DELETED)) {
            String uuid = sandbox.externalId().substring(sandbox.externalId().lastIndexOf('/') + 1);
            assertThat(provider.successfulDeletes(uuid)).as(sandbox.name()).isEqualTo(1);
        }
    }

    static long deletedBy(BrokerProcess process) {
        return process.lines().stream()
                .filter(l -> l.contains("action=cleanup") && l.contains("outcome=deleted"))
                .count();
    }

    @Override
    public void close() throws InterruptedException {
        one.close();
        two.close();
    }
}
