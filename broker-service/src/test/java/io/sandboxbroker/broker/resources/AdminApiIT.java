package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Operators' reads: paged lists with a cursor that round-trips, counts that add up, bulk clean-up. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {
    private static final String TABLE = TestDynamo.uniqueTable("admin");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);
    private static Pool pool;

    @BeforeAll
    static void seed() {
        pool = Pool.of(TABLE);
        pool.seed("lab-adventure", 12);
        pool.seed("lab-start", 7);
        LabClient lab = LabClient.at(APP.getLocalPort()).with("X-Sandbox-Name-Prefix", "lab-start");
        for (int i = 0; i < 3; i++) {
            assertThat(lab.lab("admin-learner-" + i).post("/v1/allocate").status())
                    .isEqualTo(201);
        }
    }

    private static LabClient admin() {
        return LabClient.at(APP.getLocalPort()).admin();
    }

    @Test
    @Order(1)
    void list_pagesThroughEverySandboxWithTheCursor() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = admin().get("/v1/admin/sandboxes?limit=5"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().path("count").asInt())
                    .isEqualTo(page.body().path("sandboxes").size())
                    .isLessThanOrEqualTo(5);
            page.body()
                    .path("sandboxes")
                    .forEach(s -> ids.add(s.path("sandbox_id").asText()));
            cursor = page.body().path("cursor").isNull()
                    ? null
                    : page.body().path("cursor").asText();
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(ids).hasSize(19).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(4);
    }

    @Test
    @Order(2)
    void list_byStatus_onlyThatStatusWithOperatorFields() {
        Reply allocated = admin().get("/v1/admin/sandboxes?status=allocated&limit=100");

        assertThat(allocated.status()).isEqualTo(200);
        assertThat(allocated.body().path("count").asInt()).isEqualTo(3);
        assertThat(allocated.body().path("cursor").isNull()).isTrue();
        JsonNode first = allocated.body().path("sandboxes").get(0);
        assertThat(first.path("status").asText()).isEqualTo("allocated");
        assertThat(first.path("allocated_to_track").asText()).startsWith("admin-learner-");
        assertThat(first.path("expires_at").isIntegralNumber()).isTrue();
        assertThat(first.path("allocated_at").isIntegralNumber()).isTrue();
        assertThat(first.path("created_at").isIntegralNumber()).isTrue();
        assertThat(first.has("version")).isTrue();
    }

    @Test
    @Order(3)
    void stats_countsPerStatusAndNameGroupAddUp() {
        Reply stats = admin().get("/v1/admin/stats");

        assertThat(stats.status()).isEqualTo(200);
        JsonNode body = stats.body();
        assertThat(body.path("total").asLong()).isEqualTo(19);
        assertThat(body.path("by_status").path("available").asLong()).isEqualTo(16);
        assertThat(body.path("by_status").path("allocated").asLong()).isEqualTo(3);
        assertThat(body.path("by_group").path("lab-adventure").path("available").asLong())
                .isEqualTo(12);
        assertThat(body.path("by_group").path("lab-start").path("available").asLong())
                .isEqualTo(4);
        assertThat(body.path("by_group").path("lab-start").path("allocated").asLong())
                .isEqualTo(3);
        assertThat(body.path("computed_at").isIntegralNumber()).isTrue();
    }

    @Test
    @Order(5)
    void stats_sumNiosxaasOutcomesOfTheDaysCleanupRuns() {
        DynamoJobRuns runs = new DynamoJobRuns(TestDynamo.client(), TABLE, Duration.ofDays(1));
        Instant now = Instant.now();
        runs.record(new JobRun(
                "cleanup",
                "node-a",
                "run-old",
                now.minus(Duration.ofHours(30)),
                now.minus(Duration.ofHours(30)),
                "completed",
                Map.of("niosxaas_cleaned", 100L)));
        runs.record(new JobRun(
                "cleanup",
                "node-a",
                "run-1",
                now.minusSeconds(600),
                now.minusSeconds(590),
                "completed",
                Map.of("deleted", 3L, "niosxaas_cleaned", 2L, "niosxaas_nothing_to_clean", 1L)));
        runs.record(new JobRun(
                "cleanup",
                "node-b",
                "run-2",
                now.minusSeconds(300),
                now.minusSeconds(290),
                "completed",
                Map.of("deleted", 2L, "niosxaas_cleaned", 1L, "niosxaas_failed", 1L, "niosxaas_shadow", 0L)));

        JsonNode niosxaas = admin().get("/v1/admin/stats").body().path("niosxaas");

        assertThat(niosxaas.path("cleaned").asLong()).isEqualTo(3);
        assertThat(niosxaas.path("skipped").asLong()).isEqualTo(1);
        assertThat(niosxaas.path("failed").asLong()).isEqualTo(1);
        assertThat(niosxaas.path("pending").asLong()).isZero();
        assertThat(niosxaas.path("since").asLong())
                .isCloseTo(now.minus(Duration.ofDays(1)).getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
    }

    @Test
    @Order(4)
    void bulkDelete_removesOnlyTheRequestedDeadEndStatusFromTheTable() {
        List<SandboxId> ids = pool.seed("lab-gone", 4);
        for (SandboxId id : ids.subList(0, 3)) {
            TestDynamo.client()
                    .updateItem(b -> b.tableName(TABLE)
                            .key(Map.of(
                                    "pk",
                                    AttributeValue.fromS("SANDBOX#" + id.value()),
                                    "sk",
                                    AttributeValue.fromS("SANDBOX")))
                            .updateExpression("SET #s = :stale REMOVE avail_shard")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":stale", AttributeValue.fromS("stale"))));
        }

        Reply none = admin().post("/v1/admin/bulk-delete?status=deletion_failed");
        Reply deleted = admin().post("/v1/admin/bulk-delete?status=stale");

        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().path("deleted").asInt()).isZero();
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().path("deleted").asInt()).isEqualTo(3);
        assertThat(pool.all(SandboxStatus.STALE)).isEmpty();
        assertThat(pool.repository().find(ids.get(3))).isPresent();
        assertThat(pool.all(SandboxStatus.ALLOCATED)).hasSize(3);
    }
}
