package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Histogram;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.metrics.DropwizardAllocationMetrics;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an allocation costs in DynamoDB calls, as the broker's own metric counts them. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AllocationCostIT {
    private static final String TABLE = TestDynamo.uniqueTable("cost");
    // The usage flush (a background UpdateItem every few seconds) is not the allocation path's cost.
    static final DropwizardAppExtension<BrokerConfiguration> APP =
            BrokerTestApp.extension(TABLE, ConfigOverride.config("pools.usageFlushEvery", "1 hour"));

    @Test
    void allocate_happyPath_costsAtMostFourDynamoCallsAndFewerOnAverage() {
        Pool.of(TABLE).seed("cost", 200);
        LabClient lab = LabClient.at(APP.getLocalPort());
        for (int i = 0; i < 60; i++) {
            assertThat(lab.lab("cost-learner-" + i).post("/v1/allocate").status())
                    .isEqualTo(201);
        }
        Histogram created =
                APP.getEnvironment().metrics().histogram(DropwizardAllocationMetrics.CALLS_PER_ALLOCATION + "_created");

        assertThat(created.getCount()).isEqualTo(60);
        // The claim write and the sandbox update, plus, for the allocation that refills the
        // candidate buffer, a read of a shard from a random name and, when that part of the shard
        // holds less than a batch, a second read from the shard's first name.
        assertThat(created.getSnapshot().getMax()).isLessThanOrEqualTo(4);
        assertThat(created.getSnapshot().getMean()).isLessThan(2.2);
    }

    @Test
    void allocate_replay_costsTwoDynamoCallsPlusAnOccasionalIndexQuery() {
        Pool.of(TABLE).seed("replay-cost", 50);
        LabClient lab = LabClient.at(APP.getLocalPort()).lab("replayer");
        assertThat(lab.post("/v1/allocate").status()).isEqualTo(201);
        long before = dynamoCalls();

        for (int i = 0; i < 10; i++) {
            assertThat(lab.post("/v1/allocate").status()).isEqualTo(200);
        }

        // The claim write answers with the existing claim, then one consistent read of the sandbox
        // it names; the candidate buffer is refilled at most once.
        assertThat(dynamoCalls() - before).isBetween(20L, 21L);
    }

    private static long dynamoCalls() {
        return APP
                .getEnvironment()
                .metrics()
                .getCounters((name, metric) -> name.startsWith("broker_dynamodb_calls{"))
                .values()
                .stream()
                .mapToLong(c -> c.getCount())
                .sum();
    }
}
