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
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What ECS does on every deploy: SIGTERM to the jobs process that is cleaning. It finishes the
 * sandbox in hand, hands the rest over, checks out before its DynamoDB client closes, and leaves
 * the cluster at once; the survivor deletes the rest, each sandbox once at the provider.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CleanupStopIT {
    private static final String TABLE = TestDynamo.uniqueTable("sigterm");
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
                // Long enough that only a hand-over, not the next scheduled run, lets the survivor finish in time.
                "CLEANUP_EVERY_SECONDS", "2",
                "CLEANUP_BATCH_SIZE", "5",
                "CLEANUP_BATCH_DELAY_SECONDS", "1",
                "CLEANUP_SANDBOX_DELAY_SECONDS", "1"));
        PROCESSES.add(process);
        return process;
    }

    @Test
    void sigtermOfTheCleaningNode_finishesItsSandbox_leavesAtOnce_survivorDoesTheRest() throws InterruptedException {
        PROVIDER.addSandboxes("sigterm", SANDBOXES);
        PROVIDER.deleteLatency(Duration.ofMillis(300));
        BrokerProcess one = startJobsProcess("stopper-one");
        BrokerProcess two = startJobsProcess("stopper-two");
        Pool pool = Pool.of(TABLE);
        await().atMost(Duration.ofSeconds(90)).until(() -> pool.all(SandboxStatus.AVAILABLE).size() == SANDBOXES);
        LabClient lab = LabClient.at(API.getLocalPort());
        for (int i = 0; i < SANDBOXES; i++) {
            LabClient learner = lab.lab("sigterm-learner-" + i);
            Reply allocated = learner.post("/v1/allocate");
            assertThat(allocated.status()).isEqualTo(201);
            assertThat(learner.post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion").status())
                    .isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> deletedBy(one) + deletedBy(two) > 0);
        BrokerProcess victim = deletedBy(one) > 0 ? one : two;
        String victimId = victim == one ? "stopper-one" : "stopper-two";
        BrokerProcess survivor = victim == one ? two : one;
        long stopping = System.nanoTime();
        int exit = victim.terminate(Duration.ofSeconds(40));
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
        System.out.println("CleanupStopIT: the stopped node exited with " + exit + " after " + stopTook.toMillis() + " ms");
        victim.lines().stream().filter(line -> line.contains("action=stop ") || line.contains("outcome=interrupted")
                || line.contains("action=scheduler_stop")).forEach(line -> System.out.println("CleanupStopIT: " + line));

        assertThat(victim.lines()).as("the stopped node's output")
                .noneMatch(line -> line.contains("outcome=failed"))
                .anyMatch(line -> line.contains("action=scheduler_stop outcome=done"));
        assertThat(nodes(lab)).as("cluster nodes right after the stop").doesNotContain(victimId);
        await().atMost(Duration.ofSeconds(120)).until(() -> pool.all(SandboxStatus.DELETED).size() == SANDBOXES);
        assertThat(deletedBy(survivor)).isPositive();
        for (Sandbox sandbox : pool.all(SandboxStatus.DELETED)) {
            String uuid = sandbox.externalId().substring(sandbox.externalId().lastIndexOf('/') + 1);
            assertThat(PROVIDER.successfulDeletes(uuid)).as(sandbox.name()).isEqualTo(1);
        }
        assertThat(heldBy(victimId)).as("scheduler items held by the stopped node").isEmpty();
    }

    private static List<String> nodes(LabClient lab) {
        List<String> nodes = new ArrayList<>();
        for (JsonNode node : lab.admin().get("/v1/admin/jobs").body().path("nodes")) {
            nodes.add(node.path("instance_id").asText());
        }
        return nodes;
    }

    private static List<Map<String, AttributeValue>> heldBy(String instanceId) {
        return TestDynamo.client().scanPaginator(b -> b.tableName(TABLE + "-quartz")
                        .consistentRead(true)
                        .filterExpression("#owner = :id OR #recoverer = :id OR #pk = :node")
                        .expressionAttributeNames(Map.of("#owner", Attr.OWNER, "#recoverer", Attr.RECOVERER,
                                "#pk", Attr.PK))
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(instanceId),
                                ":node", AttributeValue.fromS("NODE#" + instanceId))))
                .items().stream().toList();
    }

    private static long deletedBy(BrokerProcess process) {
        return process.lines().stream().filter(l -> l.contains("action=cleanup") && l.contains("outcome=deleted")).count();
    }
}
