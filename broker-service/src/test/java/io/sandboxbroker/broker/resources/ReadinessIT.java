package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.Dynalite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DynamoDB goes away and comes back: the API says so, and recovers without a restart. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadinessIT {
    private static final String TABLE = TestDynamo.uniqueTable("ready");
    /** Its own dynalite, persisted on disk so that a restart keeps the table. */
    private static final Dynalite DYNALITE = startPersistent();

    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            Clock.systemUTC(), TABLE, () -> DYNALITE.endpoint().toString());

    private static Dynalite startPersistent() {
        try {
            return Dynalite.start(Optional.of(Files.createTempDirectory("dynalite-ready")), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        DYNALITE.close();
    }

    @Test
    void readyz_followsDynamoDbDownAndBackUp_whileHealthzStaysUp() {
        LabClient client = LabClient.at(APP.getLocalPort());
        new Pool(TestDynamo.clientFor(DYNALITE), TABLE).seed("ready", 3);
        Reply ready = client.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.text("status")).isEqualTo("ready");
        assertThat(ready.body().path("timestamp").isIntegralNumber()).isTrue();
        assertThat(ready.body().path("checks").path("dynamodb").asText()).isEqualTo("ok");

        DYNALITE.stop();
        // The probe's answer is kept for a moment, so a flood of /readyz is not a flood of reads.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/readyz").status() == 503);
        Reply down = client.get("/readyz");
        Reply allocateWhileDown = client.lab("ready-learner").post("/v1/allocate");

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.text("status")).isEqualTo("not_ready");
        assertThat(down.body().path("timestamp").isIntegralNumber()).isTrue();
        assertThat(down.body().path("checks").path("dynamodb").asText()).isEqualTo("unreachable");
        assertThat(down.code()).isEqualTo("NOT_READY");
        assertThat(down.raw().body()).doesNotContain("Exception", "127.0.0.1");
        assertThat(down.header("X-Request-ID"))
                .isEqualTo(down.body().path("detail").path("request_id").asText());
        assertThat(allocateWhileDown.status()).isEqualTo(503);
        assertThat(allocateWhileDown.code()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(allocateWhileDown.header("Retry-After")).isNotBlank();
        assertThat(client.get("/healthz").status()).isEqualTo(200);

        DYNALITE.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/readyz").status() == 200);
        Reply allocated = client.lab("ready-learner").post("/v1/allocate");
        assertThat(allocated.status()).isEqualTo(201);
    }
}
