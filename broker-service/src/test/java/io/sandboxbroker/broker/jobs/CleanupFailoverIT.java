package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.FakeProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end through real processes: learners allocate and release sandboxes through the API; two
 * jobs processes clean up; the one cleaning is killed with SIGKILL in the middle of its run. The
 * survivor finishes: every sandbox ends deleted, with exactly one successful delete at the provider.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CleanupFailoverIT {
    private static final String TABLE = TestDynamo.uniqueTable("failover");
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
    void killNineOfTheCleaningNode_survivorFinishes_eachSandboxDeletedOnceAtTheProvider() throws InterruptedException {
        pair = CleaningPair.releasedThroughTheApi(TABLE, PROVIDER, API.getLocalPort(), "failover");
        BrokerProcess victim = pair.cleaning();
        BrokerProcess survivor = pair.other(victim);
        victim.kill();
        assertThat(pair.pool.all(SandboxStatus.DELETED).size()).isLessThan(CleaningPair.SANDBOXES);

        pair.awaitEachDeletedOnceAtTheProvider();
        assertThat(CleaningPair.deletedBy(survivor)).isPositive();
        assertThat(PROVIDER.activeSandboxes()).noneMatch(a -> a.name().startsWith("failover-"));

        JsonNode jobs = pair.lab.admin().get("/v1/admin/jobs").body();
        JsonNode cleanup = null;
        for (JsonNode job : jobs.path("jobs")) {
            if (job.path("name").asText().equals("cleanup")) {
                cleanup = job;
            }
        }
        assertThat(cleanup).isNotNull();
        long deletedInRuns = 0;
        for (JsonNode run : cleanup.path("last_runs")) {
            deletedInRuns += run.path("counts").path("deleted").asLong();
        }
        assertThat(deletedInRuns).isPositive();
    }
}
