package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.core.ClaimStore;
import io.sandboxbroker.broker.core.ClaimStoreContract;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;

/** The claim store contract against DynamoDB (dynalite); one table per case. */
class DynamoClaimStoreContractIT extends ClaimStoreContract {
    @Override
    protected ClaimStore newStore() {
        String table = TestDynamo.uniqueTable("claims-contract");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        return new DynamoClaimStore(TestDynamo.client(), table, Duration.ofDays(14));
    }
}
