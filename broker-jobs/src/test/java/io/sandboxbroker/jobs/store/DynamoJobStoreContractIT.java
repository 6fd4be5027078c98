package io.sandboxbroker.jobs.store;

import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.testkit.Dynalite;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.quartz.spi.JobStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The contract against the DynamoDB store on dynalite; one table per case. */
class DynamoJobStoreContractIT extends JobStoreContract {
    private static Dynalite dynalite;
    private static DynamoDbClient client;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
        client = DynamoTestSupport.client(dynalite);
    }

    @AfterAll
    static void stopDynalite() {
        client.close();
        dynalite.close();
    }

    @Override
    protected JobStore newStore() {
        String table = DynamoTestSupport.freshTable(client, "contract");
        DynamoJobStore store = new DynamoJobStore(client, DynamoJobStoreConfig.defaults(table)
                .withMisfireThreshold(Duration.ofMillis(MISFIRE_THRESHOLD)));
        store.setInstanceId("contract-node");
        return store;
    }
}
