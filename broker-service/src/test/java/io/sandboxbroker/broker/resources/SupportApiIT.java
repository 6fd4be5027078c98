package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Support's endpoints over HTTP on dynalite: history, learner look-up, lease extension. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SupportApiIT {
    private static final String TABLE = TestDynamo.uniqueTable("history");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);

    @Test
    void learnerLookup_fromAllocationToDeletion_showsEveryChangeWithItsActorAndRequest() {
        Pool pool = Pool.of(TABLE);
        pool.seed("hist-a", 1);
        LabClient client = LabClient.at(APP.getLocalPort());

        Reply allocated = client.with("X-Request-ID", "req-alloc-1")
                .with("X-Sandbox-Name-Prefix", "hist-a")
                .lab("hist-learner-1")
                .post("/v1/allocate");
        assertThat(allocated.status()).isEqualTo(201);
        SandboxId id = new SandboxId(allocated.text("sandbox_id"));
        Reply marked = client.with("X-Request-ID", "req-mark-1")
                .lab("hist-learner-1")
                .post("/v1/sandboxes/" + id + "/mark-for-deletion");
        assertThat(marked.status()).isEqualTo(200);
        DynamoSandboxRepository repository = pool.repository();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Sandbox pending = repository.find(id).orElseThrow();
        Sandbox deferred = repository
                .deferDeletion(pending, "HTTP 503", now.plusSeconds(60), now)
                .orElseThrow();
        Sandbox failed =
                repository.markDeletionFailed(deferred, "HTTP 400", now).orElseThrow();
        assertThat(client.with("X-Request-ID", "req-retry-1")
                        .admin()
                        .post("/v1/admin/sandboxes/" + id + "/retry-deletion")
                        .status())
                .isEqualTo(200);
        repository
                .markDeleted(repository.find(id).orElseThrow(), now, now.plusSeconds(3600))
                .orElseThrow();

        Reply lookup = client.admin().get("/v1/admin/learners/hist-learner-1");

        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.body().path("claim").path("sandbox_id").asText()).isEqualTo(id.value());
        assertThat(lookup.body().path("sandbox").path("status").asText()).isEqualTo("deleted");
        List<JsonNode> events = list(lookup.body().path("history").path("events"));
        assertThat(events)
                .extracting(e -> e.path("event").asText())
                .containsExactly(
                        "synced_in",
                        "allocated",
                        "marked",
                        "deletion_attempt_failed",
                        "deletion_failed",
                        "retried_by_admin",
                        "deleted");
        assertThat(events)
                .extracting(e -> e.path("to").asText())
                .containsExactly(
                        "available",
                        "allocated",
                        "pending_deletion",
                        "pending_deletion",
                        "deletion_failed",
                        "pending_deletion",
                        "deleted");
        assertThat(events).extracting(e -> e.path("version").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(events.get(1).path("actor").asText()).isEqualTo("lab-one");
        assertThat(events.get(1).path("ref").asText()).isEqualTo("req-alloc-1");
        assertThat(events.get(1).path("learner").asText()).isEqualTo("hist-learner-1");
        assertThat(events.get(2).path("ref").asText()).isEqualTo("req-mark-1");
        assertThat(events.get(5).path("ref").asText()).isEqualTo("req-retry-1");
        assertThat(events.get(4).path("detail").asText()).isEqualTo("HTTP 400");
        assertThat(events)
                .allSatisfy(e -> assertThat(e.path("at").isIntegralNumber()).isTrue());
        assertThat(failed.version()).isEqualTo(5);
    }

    @Test
    void history_longerThanTheItemKeeps_isArchivedAndPagedInOrderWithoutGapsOrRepeats() {
        Pool pool = Pool.of(TABLE);
        SandboxId id = pool.seed("hist-b", 1).get(0);
        DynamoSandboxRepository repository = pool.repository();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // available <-> stale, twelve changes: more than the item keeps, so some move to event items.
        for (int i = 0; i < 6; i++) {
            repository.markStale(id, now.plusSeconds(i)).orElseThrow();
            repository.revive(id, now.plusSeconds(i)).orElseThrow();
        }
        LabClient admin = LabClient.at(APP.getLocalPort()).admin();

        List<JsonNode> all = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            Reply page = admin.get(
                    "/v1/admin/sandboxes/" + id + "/history?limit=5" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            all.addAll(list(page.body().path("events")));
            cursor = page.body().path("cursor").isNull()
                    ? ""
                    : page.body().path("cursor").asText();
            pages++;
        } while (!cursor.isEmpty() && pages < 10);

        assertThat(all)
                .extracting(e -> e.path("version").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(all.get(0).path("event").asText()).isEqualTo("synced_in");
        assertThat(all.get(12).path("event").asText()).isEqualTo("revived");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void history_unknownSandbox_404_unknownLearner_404_badCursor_400() {
        LabClient admin = LabClient.at(APP.getLocalPort()).admin();

        assertThat(admin.get("/v1/admin/sandboxes/no-such-sandbox/history").code())
                .isEqualTo("SANDBOX_NOT_FOUND");
        Reply learner = admin.get("/v1/admin/learners/nobody-here");
        assertThat(learner.status()).isEqualTo(404);
        assertThat(learner.code()).isEqualTo("NOT_FOUND");
        Reply cursor = admin.get("/v1/admin/sandboxes/x/history?cursor=zzz");
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.code()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void extend_byTheHolder_answersTheNewExpiryAsUnixSeconds_othersAreRefused_adminMayExtend() {
        Pool pool = Pool.of(TABLE);
        pool.seed("hist-ext", 1);
        LabClient client = LabClient.at(APP.getLocalPort());
        Reply allocated = client.with("X-Sandbox-Name-Prefix", "hist-ext")
                .lab("ext-learner")
                .post("/v1/allocate");
        String id = allocated.text("sandbox_id");
        long expiresAt = allocated.body().path("expires_at").asLong();

        Reply extended = client.lab("ext-learner").post("/v1/sandboxes/" + id + "/extend?seconds=600");
        Reply stranger = client.lab("someone-else").post("/v1/sandboxes/" + id + "/extend");
        Reply badAmount = client.lab("ext-learner").post("/v1/sandboxes/" + id + "/extend?seconds=-5");
        Reply byAdmin = client.admin().post("/v1/admin/sandboxes/" + id + "/extend?seconds=60");

        assertThat(extended.status()).isEqualTo(200);
        assertThat(extended.body().path("expires_at").isIntegralNumber()).isTrue();
        assertThat(extended.body().path("expires_at").asLong()).isEqualTo(expiresAt + 600);
        assertThat(extended.body().path("extension_count").asInt()).isEqualTo(1);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.code()).isEqualTo("NOT_SANDBOX_OWNER");
        assertThat(badAmount.status()).isEqualTo(400);
        assertThat(badAmount.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(byAdmin.status()).isEqualTo(200);
        assertThat(byAdmin.body().path("expires_at").asLong()).isEqualTo(expiresAt + 660);
        List<JsonNode> events = list(client.admin()
                .get("/v1/admin/sandboxes/" + id + "/history")
                .body()
                .path("events"));
        assertThat(events)
                .extracting(e -> e.path("event").asText())
                .containsExactly("synced_in", "allocated", "extended", "extended");
        assertThat(events.get(3).path("actor").asText()).isEqualTo("ops");
    }

    @Test
    void quarantine_overHttp_needsAReason_countsInStats_andReleaseReturnsItToThePool() {
        Pool pool = Pool.of(TABLE);
        SandboxId id = pool.seed("hist-quar", 1).get(0);
        LabClient client = LabClient.at(APP.getLocalPort());
        LabClient admin = client.admin();

        Reply noReason = admin.post("/v1/admin/sandboxes/" + id + "/quarantine");
        Reply held = admin.post("/v1/admin/sandboxes/" + id + "/quarantine?reason=phishing%20report");
        Reply again = admin.post("/v1/admin/sandboxes/" + id + "/quarantine?reason=twice");
        Reply allocation = client.with("X-Sandbox-Name-Prefix", "hist-quar")
                .lab("quar-learner")
                .post("/v1/allocate");
        Reply listed = admin.get("/v1/admin/sandboxes?status=quarantined");

        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.text("status")).isEqualTo("quarantined");
        assertThat(held.text("quarantine_reason")).isEqualTo("phishing report");
        assertThat(held.text("quarantined_from")).isEqualTo("available");
        assertThat(again.code()).isEqualTo("INVALID_STATE");
        assertThat(allocation.code()).isEqualTo("NO_SANDBOXES_AVAILABLE");
        assertThat(list(listed.body().path("sandboxes")))
                .extracting(s -> s.path("sandbox_id").asText())
                .contains(id.value());

        Reply released = admin.post("/v1/admin/sandboxes/" + id + "/release-quarantine");
        assertThat(released.text("status")).isEqualTo("available");
        assertThat(released.body().path("quarantine_reason").isNull()).isTrue();
        assertThat(client.with("X-Sandbox-Name-Prefix", "hist-quar")
                        .lab("quar-learner")
                        .post("/v1/allocate")
                        .status())
                .isEqualTo(201);
        assertThat(admin.post("/v1/admin/sandboxes/" + id + "/release-quarantine")
                        .code())
                .isEqualTo("INVALID_STATE");
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
