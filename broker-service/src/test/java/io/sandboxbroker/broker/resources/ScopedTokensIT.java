package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.LogCapture;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lab tokens scoped to pools and tracks (test-broker.yml): {@code dns-track} and its successor
 * {@code dns-track-next} may use pool {@code lab-dns} for track {@code dns-basics} only; {@code ipam}
 * serves two pools; {@code lab-one} has no scope.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ScopedTokensIT {
    private static final String TABLE = TestDynamo.uniqueTable("scoped");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);
    private static final String DNS = "test-dns-track-token";
    private static final String DNS_NEXT = "test-dns-track-token-next";
    private static final String IPAM = "test-ipam-token";
    private static Pool pool;

    @BeforeAll
    static void seed() {
        pool = Pool.of(TABLE);
        pool.seed("lab-dns", 10);
        pool.seed("lab-ipam-a", 3);
        pool.seed("lab-web", 6);
    }

    private static LabClient as(String token, String learner) {
        return LabClient.at(APP.getLocalPort())
                .with("Authorization", "Bearer " + token)
                .with("X-Instruqt-Sandbox-ID", learner);
    }

    private static LabClient dns(String learner) {
        return as(DNS, learner).with("X-Instruqt-Track-ID", "dns-basics");
    }

    private static String learner() {
        return "scoped-" + UUID.randomUUID();
    }

    private static void assertForbidden(Reply reply) {
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.code()).isEqualTo("FORBIDDEN");
        assertThat(reply.body().path("detail").path("request_id").asText()).isEqualTo(reply.header("X-Request-ID"));
    }

    @Test
    void scopedToken_anotherPool_forbidden_ownPool_allocates() {
        String learner = learner();
        assertForbidden(dns(learner).with("X-Sandbox-Name-Prefix", "lab-web").post("/v1/allocate"));
        assertForbidden(dns(learner).with("X-Sandbox-Name-Prefix", "lab").post("/v1/allocate"));

        Reply own = dns(learner).with("X-Sandbox-Name-Prefix", "lab-dns").post("/v1/allocate");
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.text("name")).startsWith("lab-dns-");
        assertThat(pool.all(SandboxStatus.ALLOCATED))
                .filteredOn(s -> s.learner().value().equals(learner))
                .extracting(s -> s.id().value())
                .containsExactly(own.text("sandbox_id"));
    }

    @Test
    void scopedToken_withoutPrefix_singlePoolAnswers_severalPoolsMustName() {
        Reply single = dns(learner()).post("/v1/allocate");
        assertThat(single.status()).isEqualTo(201);
        assertThat(single.text("name")).startsWith("lab-dns-");

        assertForbidden(as(IPAM, learner()).post("/v1/allocate"));
        Reply named =
                as(IPAM, learner()).with("X-Sandbox-Name-Prefix", "lab-ipam-a").post("/v1/allocate");
        assertThat(named.status()).isEqualTo(201);
        assertThat(named.text("name")).startsWith("lab-ipam-a-");
    }

    @Test
    void trackScopedToken_missingOrOtherTrack_forbidden() {
        assertForbidden(
                as(DNS, learner()).with("X-Sandbox-Name-Prefix", "lab-dns").post("/v1/allocate"));
        assertForbidden(as(DNS, learner())
                .with("X-Instruqt-Track-ID", "web-basics")
                .with("X-Sandbox-Name-Prefix", "lab-dns")
                .post("/v1/allocate"));
    }

    @Test
    void unscopedToken_worksAsBefore_anyPool() {
        Reply web = LabClient.at(APP.getLocalPort())
                .lab(learner())
                .with("X-Sandbox-Name-Prefix", "lab-web")
                .post("/v1/allocate");
        assertThat(web.status()).isEqualTo(201);
        assertThat(web.text("name")).startsWith("lab-web-");
    }

    @Test
    void scopedToken_cannotReadOrReleaseASandboxOutsideItsPools_evenTheLearnersOwn() {
        String learner = learner();
        Reply web = LabClient.at(APP.getLocalPort())
                .lab(learner)
                .with("X-Sandbox-Name-Prefix", "lab-web")
                .post("/v1/allocate");
        assertThat(web.status()).isEqualTo(201);
        String id = web.text("sandbox_id");

        assertForbidden(dns(learner).get("/v1/sandboxes/" + id));
        assertForbidden(dns(learner).post("/v1/sandboxes/" + id + "/mark-for-deletion"));
        // Nor through a replay: the learner's claim points at the lab-web sandbox.
        assertForbidden(dns(learner).with("X-Sandbox-Name-Prefix", "lab-dns").post("/v1/allocate"));

        assertThat(pool.repository().find(new SandboxId(id)).orElseThrow().status())
                .isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(LabClient.at(APP.getLocalPort())
                        .lab(learner)
                        .get("/v1/sandboxes/" + id)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void scopedToken_cannotReadASandboxOfItsPoolAllocatedForAnotherTrack() {
        String learner = learner();
        Reply untracked = LabClient.at(APP.getLocalPort())
                .lab(learner)
                .with("X-Sandbox-Name-Prefix", "lab-dns")
                .post("/v1/allocate");
        assertThat(untracked.status()).isEqualTo(201);

        assertForbidden(dns(learner).get("/v1/sandboxes/" + untracked.text("sandbox_id")));
    }

    @Test
    void rotation_bothTokensValid_sameSandbox_logsAndMetricsNameEachToken() {
        String learner = learner();
        try (LogCapture logs = new LogCapture()) {
            Reply first = dns(learner).post("/v1/allocate");
            Reply replay = as(DNS_NEXT, learner)
                    .with("X-Instruqt-Track-ID", "dns-basics")
                    .post("/v1/allocate");
            String id = first.text("sandbox_id");

            assertThat(first.status()).isEqualTo(201);
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.text("sandbox_id")).isEqualTo(id);
            assertThat(as(DNS_NEXT, learner).get("/v1/sandboxes/" + id).status())
                    .isEqualTo(200);
            assertThat(as(DNS_NEXT, learner)
                            .post("/v1/sandboxes/" + id + "/mark-for-deletion")
                            .status())
                    .isEqualTo(200);

            assertThat(logs.lines())
                    .anyMatch(line -> line.contains("action=allocate client=dns-track learner=" + learner
                            + " outcome=created sandbox_id=" + id));
            assertThat(logs.lines())
                    .anyMatch(line -> line.contains("action=allocate client=dns-track-next learner=" + learner
                            + " outcome=replayed sandbox_id=" + id));
            assertThat(logs.text()).doesNotContain(DNS).doesNotContain(DNS_NEXT);
        }
        String metrics = LabClient.at(APP.getLocalPort()).get("/metrics").raw().body();
        assertThat(metrics)
                .contains("broker_allocations_by_token{token=\"dns-track\",outcome=\"created\",}")
                .contains("broker_allocations_by_token{token=\"dns-track-next\",outcome=\"replayed\",}")
                .doesNotContain(DNS_NEXT);
    }
}
