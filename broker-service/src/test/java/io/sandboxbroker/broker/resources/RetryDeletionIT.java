package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /v1/admin/sandboxes/{id}/retry-deletion} over HTTP. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetryDeletionIT {
    private static final String TABLE = TestDynamo.uniqueTable("retrydel");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);

    @Test
    void retryDeletion_deletionFailed_becomesPendingWithAttemptsFromZero_thenRefusedAsInvalidState() {
        Pool pool = Pool.of(TABLE);
        Sandbox failed = failed(pool, pool.seed("retry", 1).get(0));
        LabClient admin = LabClient.at(APP.getLocalPort()).admin();

        Reply retried = admin.post("/v1/admin/sandboxes/" + failed.id() + "/retry-deletion");

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.text("status")).isEqualTo("pending_deletion");
        assertThat(retried.body().path("deletion_retry_count").asInt()).isZero();
        assertThat(pool.repository().find(failed.id()).orElseThrow().status())
                .isEqualTo(SandboxStatus.PENDING_DELETION);

        Reply again = admin.post("/v1/admin/sandboxes/" + failed.id() + "/retry-deletion");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("INVALID_STATE");
    }

    @Test
    void retryDeletion_unknownSandbox_404_labToken_403() {
        LabClient client = LabClient.at(APP.getLocalPort());

        Reply unknown = client.admin().post("/v1/admin/sandboxes/no-such-sandbox/retry-deletion");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("SANDBOX_NOT_FOUND");

        Reply lab = client.lab("someone").post("/v1/admin/sandboxes/no-such-sandbox/retry-deletion");
        assertThat(lab.status()).isEqualTo(403);
    }

    private static Sandbox failed(Pool pool, SandboxId id) {
        DynamoSandboxRepository repository = pool.repository();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LearnerClaim claim = new LearnerClaim(new LearnerId("retry-learner"), id, "retry-learner", now);
        Sandbox allocated = repository
                .claim(id, claim, null, now, now.plusSeconds(3600), "test-write")
                .orElseThrow();
        Sandbox pending = repository.markForDeletion(allocated, now).orElseThrow();
        return repository.markDeletionFailed(pending, "HTTP 400", now).orElseThrow();
    }
}
