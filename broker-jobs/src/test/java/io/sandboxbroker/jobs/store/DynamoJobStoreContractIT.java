package io.sandboxbroker.jobs.store;

import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.spi.JobStore;

/** The contract against the DynamoDB store on dynalite; one table per case. */
class DynamoJobStoreContractIT extends JobStoreContract {
    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    @Override
    protected JobStore newStore() {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "contract");
        DynamoJobStore store = new DynamoJobStore(DYNAMO.client(), DynamoJobStoreConfig.defaults(table)
                .withMisfireThreshold(Duration.ofMillis(MISFIRE_THRESHOLD)));
        store.setInstanceId("contract-node");
        return store;
    }
}
