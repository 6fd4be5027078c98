package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JSON type of every field of every lab response, pinned: the lab scripts in use read these
 * bodies (they pass {@code expires_at} to {@code time.gmtime}), so a changed type or a field gone
 * fails the build here, not a class of learners on the day. Also the bodies uptime monitors and
 * a bare {@code GET /} see.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WireContractIT {
    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00.750Z");
    private static final String TABLE = TestDynamo.uniqueTable("wire");
    static final DropwizardAppExtension<BrokerConfiguration> APP =
            BrokerTestApp.extension(new MutableClock(NOW), TABLE);
    private static final Pool POOL = Pool.of(TABLE);

    private static final Map<String, String> ALLOCATION = types(
            "sandbox_id",
            "string",
            "name",
            "string",
            "external_id",
            "string",
            "allocated_at",
            "integer",
            "expires_at",
            "integer",
            "sfdc_account_id",
            "string");
    private static final Map<String, String> SANDBOX = types(
            "sandbox_id",
            "string",
            "name",
            "string",
            "external_id",
            "string",
            "status",
            "string",
            "allocated_to_track",
            "string",
            "allocated_at",
            "integer",
            "expires_at",
            "integer",
            "track_name",
            "string",
            "sfdc_account_id",
            "string");
    private static final Map<String, String> DELETION =
            types("sandbox_id", "string", "status", "string", "deletion_requested_at", "integer");
    private static final Map<String, String> ERROR = types("detail", "object");
    private static final Map<String, String> ERROR_DETAIL =
            types("code", "string", "message", "string", "request_id", "string");

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    private static LabClient learner() {
        return client().with("X-Instruqt-Track-ID", "dns-basics").lab("learner-" + UUID.randomUUID());
    }

    /** "field" → JSON type name, in the order given. */
    private static Map<String, String> types(String... fieldsAndTypes) {
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            types.put(fieldsAndTypes[i], fieldsAndTypes[i + 1]);
        }
        return types;
    }

    private static Map<String, String> typesOf(JsonNode body) {
        Map<String, String> types = new LinkedHashMap<>();
        body.fields().forEachRemaining(field -> types.put(field.getKey(), typeOf(field.getValue())));
        return types;
    }

    private static String typeOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return "integer";
        }
        return switch (value.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case OBJECT -> "object";
            case ARRAY -> "array";
            default -> value.getNodeType().name();
        };
    }

    private static Map<String, String> with(Map<String, String> types, String field, String type) {
        Map<String, String> changed = new LinkedHashMap<>(types);
        changed.put(field, type);
        return changed;
    }

    @Test
    void labResponses_everyFieldHasItsPinnedType() {
        String group = "wire-" + UUID.randomUUID().toString().substring(0, 8);
        POOL.seed(group, 1);
        LabClient lab = learner().with("X-Sandbox-Name-Prefix", group);

        Reply created = lab.post("/v1/allocate");
        Reply replayed = lab.post("/v1/allocate");
        String id = created.text("sandbox_id");
        Reply read = lab.get("/v1/sandboxes/" + id);
        Reply released = lab.post("/v1/sandboxes/" + id + "/mark-for-deletion");
        Reply releasedAgain = lab.post("/v1/sandboxes/" + id + "/mark-for-deletion");

        assertThat(created.status()).isEqualTo(201);
        assertThat(typesOf(created.body())).isEqualTo(ALLOCATION);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(typesOf(replayed.body())).isEqualTo(ALLOCATION);
        assertThat(typesOf(read.body())).isEqualTo(SANDBOX);
        assertThat(typesOf(released.body())).isEqualTo(DELETION);
        assertThat(typesOf(releasedAgain.body())).isEqualTo(DELETION);
        // Whole seconds of the server's clock: allocated_at is "now", expires_at 48 h later.
        assertThat(created.body().path("allocated_at").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(created.body().path("expires_at").asLong()).isEqualTo(NOW.getEpochSecond() + 48 * 3600);
        assertThat(released.body().path("deletion_requested_at").asLong()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void labResponses_sandboxWithoutSalesforceId_sendNull() {
        String group = "wire-nosfdc-" + UUID.randomUUID().toString().substring(0, 8);
        POOL.seed(group, 1, false);
        LabClient lab = learner().with("X-Sandbox-Name-Prefix", group);

        Reply created = lab.post("/v1/allocate");
        Reply read = lab.get("/v1/sandboxes/" + created.text("sandbox_id"));

        assertThat(typesOf(created.body())).isEqualTo(with(ALLOCATION, "sfdc_account_id", "null"));
        assertThat(typesOf(read.body())).isEqualTo(with(SANDBOX, "sfdc_account_id", "null"));
    }

    @Test
    void labErrors_oneEnvelope_retryAfterAnInteger() {
        Reply empty = learner()
                .with("X-Sandbox-Name-Prefix", "wire-none-" + UUID.randomUUID())
                .post("/v1/allocate");
        Reply unknown = learner().get("/v1/sandboxes/424242");
        Reply noToken = client().with("X-Instruqt-Sandbox-ID", "x").post("/v1/allocate");
        Reply noLearner = client().with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN)
                .post("/v1/allocate");

        assertThat(empty.status()).isEqualTo(409);
        assertThat(typesOf(empty.body())).isEqualTo(ERROR);
        assertThat(typesOf(empty.body().path("detail"))).isEqualTo(with(ERROR_DETAIL, "retry_after", "integer"));
        assertThat(empty.code()).isEqualTo("NO_SANDBOXES_AVAILABLE");
        assertThat(empty.header("Retry-After"))
                .isEqualTo(empty.body().path("detail").path("retry_after").asText());
        for (Reply error : new Reply[] {unknown, noToken, noLearner}) {
            assertThat(typesOf(error.body())).as(error.raw().body()).isEqualTo(ERROR);
            assertThat(typesOf(error.body().path("detail")))
                    .as(error.raw().body())
                    .isEqualTo(ERROR_DETAIL);
        }
        assertThat(unknown.code()).isEqualTo("SANDBOX_NOT_FOUND");
        assertThat(noToken.code()).isEqualTo("UNAUTHORIZED");
        assertThat(noLearner.code()).isEqualTo("MISSING_SANDBOX_ID");
    }

    @Test
    void health_bodiesAsUptimeMonitorsMatchThem() {
        Reply live = client().get("/healthz");
        Reply ready = client().get("/readyz");

        assertThat(live.status()).isEqualTo(200);
        assertThat(typesOf(live.body())).isEqualTo(types("status", "string", "timestamp", "integer"));
        assertThat(live.text("status")).isEqualTo("healthy");
        assertThat(live.body().path("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(typesOf(ready.body()))
                .isEqualTo(types("status", "string", "timestamp", "integer", "checks", "object"));
        assertThat(ready.text("status")).isEqualTo("ready");
        assertThat(ready.body().path("checks").toString()).isEqualTo("{\"dynamodb\":\"ok\"}");
    }

    @Test
    void root_namesTheServiceItsVersionAndTheDocs_withoutAToken() {
        Reply root = client().get("/");

        assertThat(root.status()).isEqualTo(200);
        assertThat(typesOf(root.body())).isEqualTo(types("service", "string", "version", "string", "docs", "string"));
        assertThat(root.text("service")).isEqualTo("Sandbox Broker");
        assertThat(root.text("version")).isNotBlank();
        assertThat(root.text("docs")).isEqualTo("/v1/docs");
        assertThat(client().get(root.text("docs")).status()).isEqualTo(200);
    }
}
