package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.RawHttp;
import io.sandboxbroker.broker.support.TestDynamo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every layer answers errors in the one envelope, with the request id; hostile input changes nothing. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorEnvelopeIT {
    private static final String TABLE = TestDynamo.uniqueTable("errors");
    private static final String SECRET_MESSAGE = "internal detail: table=secret-table token=hunter2";

    /** A resource that fails the way a bug would. */
    @Path("/v1/explode")
    public static final class ExplodingResource {
        @GET
        public String explode() {
            throw new IllegalStateException(SECRET_MESSAGE);
        }
    }

    static final DropwizardAppExtension<BrokerConfiguration> APP = new DropwizardAppExtension<>(
            new DropwizardTestSupport<>(
                    BrokerApplication.class,
                    ResourceHelpers.resourceFilePath("test-broker.yml"),
                    ConfigOverride.config("dynamodb.endpoint", TestDynamo::endpoint),
                    ConfigOverride.config("dynamodb.tableName", TABLE),
                    ConfigOverride.config("dynamodb.quartzTableName", TABLE + "-quartz")) {
                @Override
                public Application<BrokerConfiguration> newApplication() {
                    return new BrokerApplication() {
                        @Override
                        public void run(BrokerConfiguration config, Environment environment) {
                            super.run(config, environment);
                            environment.jersey().register(new ExplodingResource());
                        }
                    };
                }
            });

    private static Pool pool;

    @BeforeAll
    static void seed() {
        pool = Pool.of(TABLE);
        pool.seed("hostile", 5);
    }

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    private static void assertEnvelope(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
        assertThat(reply.code()).isEqualTo(code);
        assertThat(reply.body().path("detail").path("message").asText()).isNotBlank();
        String requestId = reply.body().path("detail").path("request_id").asText();
        assertThat(requestId).isNotBlank().isEqualTo(reply.header("X-Request-ID"));
        assertThat(reply.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void unknownRoute_404NotFound() {
        assertEnvelope(client().lab("x").get("/v1/nope"), 404, "NOT_FOUND");
        assertEnvelope(client().get("/nope"), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethod_405WithAllow() {
        Reply reply = client().lab("x").get("/v1/allocate");
        assertEnvelope(reply, 405, "METHOD_NOT_ALLOWED");
        assertThat(reply.header("Allow")).contains("POST");
    }

    @Test
    void missingOrWrongToken_401() {
        assertEnvelope(client().with("X-Instruqt-Sandbox-ID", "x").post("/v1/allocate"), 401, "UNAUTHORIZED");
        assertEnvelope(
                client().with("Authorization", "Bearer wrong")
                        .with("X-Instruqt-Sandbox-ID", "x")
                        .post("/v1/allocate"),
                401,
                "UNAUTHORIZED");
        assertEnvelope(client().with("Authorization", "Basic dGVzdA==").get("/v1/admin/stats"), 401, "UNAUTHORIZED");
    }

    @Test
    void tokenOfTheOtherRole_403Forbidden() {
        assertEnvelope(client().lab("x").get("/v1/admin/stats"), 403, "FORBIDDEN");
        assertEnvelope(client().admin().with("X-Instruqt-Sandbox-ID", "x").post("/v1/allocate"), 403, "FORBIDDEN");
    }

    @Test
    void unexpectedFailure_500WithRequestIdAndNothingInternal() {
        Reply reply = client().get("/v1/explode");
        assertEnvelope(reply, 500, "INTERNAL_ERROR");
        assertThat(reply.raw().body()).doesNotContain("secret-table", "hunter2", "IllegalStateException", "at io.");
        assertThat(reply.body().path("detail").path("message").asText()).contains(reply.header("X-Request-ID"));
    }

    @Test
    void requestId_saneInboundIdIsEchoed_insaneOneReplaced() {
        Reply echoed = client().with("X-Request-ID", "lab-run-42").lab("x").get("/v1/sandboxes/1");
        Reply replaced =
                client().with("X-Request-ID", "evil id<script>").lab("x").get("/v1/sandboxes/1");

        assertThat(echoed.header("X-Request-ID")).isEqualTo("lab-run-42");
        assertThat(echoed.body().path("detail").path("request_id").asText()).isEqualTo("lab-run-42");
        assertThat(replaced.header("X-Request-ID"))
                .isNotEqualTo("evil id<script>")
                .matches("[0-9a-f-]{36}");
        assertThat(client().get("/healthz").header("X-Request-ID")).isNotBlank();
    }

    static Stream<String> badLearnerIds() {
        return Stream.of("a".repeat(129), "a".repeat(8 * 1024), "semi;colon\"quote".repeat(10));
    }

    @Test
    void missingOrBlankLearner_400MissingSandboxId() {
        LabClient authed = client().with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN);
        assertEnvelope(authed.post("/v1/allocate"), 400, "MISSING_SANDBOX_ID");
        assertEnvelope(authed.with("X-Instruqt-Sandbox-ID", "   ").post("/v1/allocate"), 400, "MISSING_SANDBOX_ID");
        assertEnvelope(authed.get("/v1/sandboxes/1"), 400, "MISSING_SANDBOX_ID");
        assertNothingAllocated();
    }

    @ParameterizedTest
    @MethodSource("badLearnerIds")
    void malformedLearner_400ValidationErrorAndNothingAllocated(String learner) {
        Reply reply = client().lab(learner).post("/v1/allocate");
        assertEnvelope(reply, 400, "VALIDATION_ERROR");
        assertNothingAllocated();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\there", "bell\u0007", "caf\u00e9", "nul\u0000byte", "\u00ff\u00fe"})
    void nonPrintableLearnerBytes_400EnvelopeAndNothingAllocated(String learner) {
        RawHttp.Answer answer = RawHttp.send(
                APP.getLocalPort(),
                "POST /v1/allocate HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + BrokerTestApp.LAB_TOKEN + "\r\nX-Instruqt-Sandbox-ID: " + learner
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).as(answer.head()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\"");
        assertNothingAllocated();
    }

    @Test
    void headerLargerThanTheServerAccepts_jsonErrorNot500() {
        Reply reply = client().lab("a".repeat(20 * 1024)).post("/v1/allocate");
        assertThat(reply.status()).isEqualTo(431);
        assertThat(reply.code()).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(reply.header("X-Request-ID")).isNotBlank();
        assertNothingAllocated();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                "..%2F..%2Fadmin",
                "%C3%A9t%C3%A9",
                "%F0%9F%92%A3",
                "a%00b",
                "1%20OR%201=1",
                "%27%3B--"
            })
    void hostileSandboxIds_4xxEnvelopeNever500(String id) {
        // Raw requests on fresh connections: Jetty closes a connection after some of these.
        for (String request : List.of("GET /v1/sandboxes/" + id, "POST /v1/sandboxes/" + id + "/mark-for-deletion")) {
            RawHttp.Answer answer = RawHttp.send(
                    APP.getLocalPort(),
                    request + " HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + BrokerTestApp.LAB_TOKEN + "\r\nX-Instruqt-Sandbox-ID: x\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(request + " -> " + answer.body()).isBetween(400, 499);
            assertThat(answer.body()).containsAnyOf("\"VALIDATION_ERROR\"", "\"SANDBOX_NOT_FOUND\"", "\"NOT_FOUND\"");
            assertThat(answer.head()).containsIgnoringCase("X-Request-ID");
        }
        assertNothingAllocated();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=101",
                "limit=abc",
                "limit=-1",
                "limit=1e3",
                "status=bogus",
                "status=ALLOCATED",
                "cursor=%25%25%25",
                "cursor=bm90LWEtY3Vyc29y",
                "status=stale&cursor=YXZhaWxhYmxl"
            })
    void badAdminQueries_400ValidationError(String query) {
        assertEnvelope(client().admin().get("/v1/admin/sandboxes?" + query), 400, "VALIDATION_ERROR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?status=available", "?status=allocated", "?status=bogus"})
    void bulkDeleteOfLiveStates_400AndNothingRemoved(String query) {
        assertEnvelope(client().admin().post("/v1/admin/bulk-delete" + query), 400, "VALIDATION_ERROR");
        assertThat(pool.all(SandboxStatus.AVAILABLE)).hasSize(5);
    }

    @Test
    void rawGarbageOnTheSocket_isAnsweredWithoutHurtingTheServer() throws IOException {
        for (String garbage : List.of(
                "GARBAGE\r\n\r\n",
                "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1/allocate HTTP/1.1\r\nHost: x\r\nX-Instruqt-Sandbox-ID: a\r\n b\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 4").contains("\"detail\"");
            }
        }
        assertThat(client().get("/healthz").status()).isEqualTo(200);
        assertNothingAllocated();
    }

    private static void assertNothingAllocated() {
        assertThat(pool.all(SandboxStatus.ALLOCATED)).isEmpty();
        assertThat(pool.all(SandboxStatus.AVAILABLE)).hasSize(5);
    }
}
