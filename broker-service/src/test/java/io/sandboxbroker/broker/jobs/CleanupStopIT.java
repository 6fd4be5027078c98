package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
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
    private static final FakeProvider PROVIDER = FakeProvider.start();
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.withProvider(TABLE, PROVIDER);
    private static CleaningPair pair;

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (pair != null) {
            pair.close();
        }
        PROVIDER.close();
    }

    @Test
    void sigtermOfTheCleaningNode_finishesItsSandbox_leavesAtOnce_survivorDoesTheRest() throws InterruptedException {
        pair = CleaningPair.releasedThroughTheApi(TABLE, PROVIDER, API.getLocalPort(), "stopper");
        BrokerProcess victim = pair.cleaning();
        String victimId = victim == pair.one ? "stopper-one" : "stopper-two";
        BrokerProcess survivor = pair.other(victim);
        long stopping = System.nanoTime();
        int exit = victim.terminate(Duration.ofSeconds(40));
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
        System.out.println(
                "CleanupStopIT: the stopped node exited with " + exit + " after " + stopTook.toMillis() + " ms");
        victim.lines().stream()
                .filter(line -> line.contains("action=stop ")
                        || line.contains("outcome=interrupted")
                        || line.contains("action=scheduler_stop"))
                .forEach(line -> System.out.println("CleanupStopIT: " + line));

        assertThat(victim.lines())
                .as("the stopped node's output")
                .noneMatch(line -> line.contains("outcome=failed"))
                .anyMatch(line -> line.contains("action=scheduler_stop outcome=done"));
        assertThat(nodes(pair.lab)).as("cluster nodes right after the stop").doesNotContain(victimId);
        pair.awaitEachDeletedOnceAtTheProvider();
        assertThat(CleaningPair.deletedBy(survivor)).isPositive();
        assertThat(heldBy(victimId))
                .as("scheduler items held by the stopped node")
                .isEmpty();
    }

    private static List<String> nodes(LabClient lab) {
        List<String> nodes = new ArrayList<>();
        for (JsonNode node : lab.admin().get("/v1/admin/jobs").body().path("nodes")) {
            nodes.add(node.path("instance_id").asText());
        }
        return nodes;
    }

    private static List<Map<String, AttributeValue>> heldBy(String instanceId) {
        return TestDynamo.client()
                .scanPaginator(b -> b.tableName(TABLE + "-quartz")
                        .consistentRead(true)
                        .filterExpression("#owner = :id OR #recoverer = :id OR #pk = :node")
                        .expressionAttributeNames(
                                Map.of("#owner", Attr.OWNER, "#recoverer", Attr.RECOVERER, "#pk", Attr.PK))
                        .expressionAttributeValues(Map.of(
                                ":id",
                                AttributeValue.fromS(instanceId),
                                ":node",
                                AttributeValue.fromS("NODE#" + instanceId))))
                .items()
                .stream()
                .toList();
    }
}
