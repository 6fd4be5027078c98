package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.FakeProvider;
import io.sandboxbroker.testkit.provider.FakeProviderConfig;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over HTTP: a learner's sandbox whose delete the provider refuses is bulk-deleted by an operator
 * while the provider keeps listing it; sync runs; the next learners never get it, and the admin
 * stats and the metrics show it for an operator to chase.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetiredTenantsApiIT {
    private static final String TABLE = TestDynamo.uniqueTable("retired");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);
    private static FakeProvider fake;
    private static Pool pool;
    private static SyncService sync;

    @BeforeAll
    static void providerAndSync() {
        fake = FakeProvider.start();
        pool = Pool.of(TABLE);
        sync = new SyncService(
                new CspClient(
                        new CspConfig(
                                fake.cspBaseUri().toString(),
                                FakeProviderConfig.DEFAULT_CSP_TOKEN,
                                Duration.seconds(2),
                                Duration.seconds(10)),
                        Jackson.newObjectMapper()),
                pool.repository(),
                pool.retired(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stopProvider() {
        fake.close();
    }

    @Test
    void usedSandbox_bulkDeletedWhileListed_neverHandedOut_andShownInStatsAndMetrics() {
        fake.addSandboxes("lab-retired", 2);
        sync.sync();
        LabClient lab = LabClient.at(APP.getLocalPort()).with("X-Sandbox-Name-Prefix", "lab-retired");
        Reply first = lab.lab("retired-learner-1").post("/v1/allocate");
        assertThat(first.status()).isEqualTo(201);
        String usedId = first.text("sandbox_id");
        assertThat(lab.lab("retired-learner-1")
                        .post("/v1/sandboxes/" + usedId + "/mark-for-deletion")
                        .status())
                .isEqualTo(200);
        // The provider refused the delete for good: the cleanup's end state.
        Sandbox pending = pool.repository().find(new SandboxId(usedId)).orElseThrow();
        pool.repository()
                .markDeletionFailed(pending, "HTTP 400: refused", Instant.now())
                .orElseThrow();

        LabClient admin = LabClient.at(APP.getLocalPort()).admin();
        assertThat(admin.post("/v1/admin/bulk-delete?status=deletion_failed")
                        .body()
                        .path("deleted")
                        .asInt())
                .isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(sync.sync().added()).isZero();
        }

        Reply second = lab.lab("retired-learner-2").post("/v1/allocate");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.text("sandbox_id")).isNotEqualTo(usedId);
        Reply third = lab.lab("retired-learner-3").post("/v1/allocate");
        assertThat(third.status()).isEqualTo(409);
        assertThat(third.code()).isEqualTo("NO_SANDBOXES_AVAILABLE");

        Reply stats = admin.get("/v1/admin/stats");
        assertThat(stats.body().path("retired_still_listed").asLong()).isEqualTo(1);
        assertThat(stats.body().path("retired_still_listed_sample").get(0).asText())
                .isEqualTo(usedId);
        assertThat(LabClient.at(APP.getLocalPort()).get("/metrics").raw().body())
                .contains("broker_retired_tenants_still_listed 1");
    }
}
